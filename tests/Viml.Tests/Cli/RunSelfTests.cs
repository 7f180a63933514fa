using Viml.Cli.Commands;

namespace Viml.Tests.Cli;

/// <summary>The demo and train-from run their steps as child processes of the same CLI: a published viml starts
/// itself (no .NET needed on the machine), a checkout's viml starts the dotnet host with its dll.</summary>
public class RunSelfTests
{
    [Fact]
    public void A_published_viml_starts_itself_and_a_checkout_starts_dotnet_with_the_dll()
    {
        var (program, prefix) = DemoCommand.Self("/opt/viml/Viml.Cli", "/opt/viml/Viml.Cli.dll");
        Assert.Equal("/opt/viml/Viml.Cli", program);
        Assert.Empty(prefix);

        (program, prefix) = DemoCommand.Self("/usr/share/dotnet/dotnet", "/src/bin/Viml.Cli.dll");
        Assert.Equal("/usr/share/dotnet/dotnet", program);
        Assert.Equal(["/src/bin/Viml.Cli.dll"], prefix);

        (program, prefix) = DemoCommand.Self(null, "/src/bin/Viml.Cli.dll");
        Assert.Equal("dotnet", program);
        Assert.Equal(["/src/bin/Viml.Cli.dll"], prefix);
    }
}
