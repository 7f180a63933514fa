using Viml.Tests.Scale;

namespace Viml.Tests.Cli;

public class CliModelTests
{
    /// <summary>Spectre builds the model of every verb on each run: one malformed option breaks them all.</summary>
    [Fact]
    public void Help_lists_every_verb_and_exits_zero()
    {
        var (exit, stdout, stderr) = CliProcess.Run("--help");
        Assert.True(exit == 0, stderr);
        foreach (var verb in new[] { "doctor", "features", "synth-text", "yt8m" })
            Assert.Contains(verb, stdout);
    }

    [Fact]
    public void Doctor_runs_a_torch_op()
    {
        var (exit, stdout, stderr) = CliProcess.Run("doctor");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("= 12", stdout);
    }
}
