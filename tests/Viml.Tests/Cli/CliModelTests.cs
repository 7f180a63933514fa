
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
    public void Version_prints_the_products_version()
    {
        var (exit, stdout, stderr) = CliProcess.Run("--version");
        Assert.True(exit == 0, stderr);
        Assert.Equal(VimlVersion.Text, stdout.Trim());
    }

    /// <summary>Every verb, branch, argument and option of the CLI explains itself in --help.</summary>
    [Fact]
    public void Every_option_and_argument_has_help_text()
    {
        var settings = System.Reflection.Assembly.Load("Viml.Cli").GetTypes()
            .Where(t => typeof(Spectre.Console.Cli.CommandSettings).IsAssignableFrom(t));
        var bare = settings.SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance
                                                            | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(p => p.IsDefined(typeof(Spectre.Console.Cli.CommandOptionAttribute), true)
                        || p.IsDefined(typeof(Spectre.Console.Cli.CommandArgumentAttribute), true))
            .Where(p => !p.IsDefined(typeof(System.ComponentModel.DescriptionAttribute), true))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}").ToList();
        Assert.True(bare.Count == 0, "no help text: " + string.Join(", ", bare));
        var (exit, stdout, _) = CliProcess.Run("--help");
        Assert.Equal(0, exit);
        foreach (var branch in new[] { "yt8m", "bench", "jobs", "catalog" })
        {
            var line = stdout.Split('\n').First(l => l.TrimStart().StartsWith(branch + " ", StringComparison.Ordinal));
            Assert.True(line.Trim().Length > branch.Length + 10, $"{branch} has no description: {line}");
        }
    }

    [Fact]
    public void Doctor_checks_each_part_by_using_it()
    {
        var (exit, stdout, stderr) = CliProcess.Run("doctor");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("= 12", stdout);
        foreach (var part in new[] { "ffmpeg version", "ffprobe version", "resnet18", "minilm", "musicnn", "SQLite 3" })
            Assert.Contains(part, stdout);
        Assert.Matches(@"checked in \d+\.\d s", stdout);   // each line and the whole run say how long they took
    }

    [Fact]
    public void Doctor_names_a_missing_program_and_how_to_install_it()
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(CliProcess.Dll);
        psi.ArgumentList.Add("doctor");
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["VIML_FFMPEG"] = "/nonexistent/ffmpeg";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("/nonexistent/ffmpeg: not found", stdout);
        Assert.Contains("ffmpeg (apt-get install ffmpeg)", err.Result);
    }
}
