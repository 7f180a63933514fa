using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Evaluation;
using Viml.IO;

namespace Viml.Cli.Commands;

sealed class BenchReproduceCommand : Command<BenchReproduceCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-o|--out <DIR>"), Description("Run folders and the report (default: .viml/reproduce). A rerun resumes finished runs.")]
        public string Out { get; init; } = Path.Combine(".viml", "reproduce");
        [CommandOption("--epochs <N>"), Description("Epochs per run (default 8).")]
        public int? Epochs { get; init; }
        [CommandOption("--threads <N>"), Description("CPU threads (0 = all cores).")]
        public int Threads { get; init; }
        [CommandOption("--seed <N>"), Description("Training and pool seed (the data seed is fixed).")]
        public int Seed { get; init; }
        [CommandOption("--only <RUNS>"), Description("Comma-separated runs to train and report without judging the claims (mvpt+, mt, viml, viml-no-dropout, viml-addition, viml-linear, viml-mlp, viml-transformer1).")]
        public string? Only { get; init; }

        public override ValidationResult Validate() =>
            ThreadCount.Problem(Threads) is { } p ? ValidationResult.Error($"--threads {p}") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var o = new Reproduction.Options { Output = Path.GetFullPath(s.Out), Only = s.Only?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
        o = o with { Train = o.Train with { Threads = s.Threads, Seed = s.Seed, Epochs = s.Epochs ?? o.Train.Epochs } };
        var result = TrainingView.Run("reproduce", p =>
            Reproduction.Run(o, new SyncProgress<string>(line =>
            {
                AnsiConsole.MarkupLine(Markup.Escape(line));
                if (line.StartsWith("training ") && p is TrainingView.SwitchingProgress sp) sp.Rename(line["training ".Length..]);
            }), p, cancellation));
        string md = Reproduction.ToMarkdown(result);
        AtomicFile.WriteAllText(Path.Combine(o.Output, "reproduce.md"), md);
        Console.WriteLine();
        Console.WriteLine(md);
        AnsiConsole.MarkupLine(Markup.Escape($"report: {Path.Combine(o.Output, "reproduce.md")}"));
        return 0;
    }
}
