using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Diagnostics;

namespace Viml.Cli.Commands;

/// <summary><c>viml doctor</c>: one line per part Viml runs on; exit 1 naming what is missing and how to install it.</summary>
sealed class DoctorCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellation)
    {
        AnsiConsole.MarkupLine($"[grey]Viml {Markup.Escape(VimlVersion.Text)}[/]");
        var missing = new List<PartCheck>();
        var total = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (part, check) in Doctor.Checks())
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var r = Doctor.Run(part, check);
            string mark = r.Ok ? "[green]ok[/]  " : r.Required ? "[red]FAIL[/]" : "[yellow]opt[/] ";
            string note = r.Ok || r.NeededFor is null ? "" : $" [grey](optional: for {Markup.Escape(r.NeededFor)})[/]";
            string took = $" [grey]{clock.Elapsed.TotalSeconds:0.0} s[/]";
            AnsiConsole.MarkupLine($"{mark} {Markup.Escape(r.Part),-13} {Markup.Escape(r.Detail)}{note}{took}");
            if (!r.Ok && r.Required) missing.Add(r);
            if (!r.Ok && r.Install is not null) AnsiConsole.MarkupLine($"       [grey]install: {Markup.Escape(r.Install)}[/]");
        }
        AnsiConsole.MarkupLine($"[grey]checked in {total.Elapsed.TotalSeconds:0.0} s[/]");
        if (missing.Count == 0) return 0;
        Console.Error.WriteLine($"viml: missing or broken: {string.Join(", ", missing.Select(m => $"{m.Part} ({m.Install})"))}");
        return 1;
    }
}
