using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;

namespace Viml.Cli.Commands;

sealed class DoctorCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellation)
    {
        Viml.Model.TorchRuntime.Initialise();
        var x = torch.ones(2, 3);
        var s = (x * 2).sum().item<float>();
        AnsiConsole.MarkupLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}: 2*ones(2,3).sum() = {s}");
        return s == 12f ? 0 : 1;
    }
}
