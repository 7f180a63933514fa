using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Evaluation;
using Viml.IO;
using Viml.Training;

namespace Viml.Cli.Commands;

sealed class BenchReproduceCommand : Command<BenchReproduceCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-o|--out <DIR>"), Description("Run folders and the report (default: .viml/reproduce). A rerun resumes finished runs.")]
        public string Out { get; init; } = Path.Combine(".viml", "reproduce");
        [CommandOption("--epochs <N>"), Description("Epochs per run (default 16).")]
        public int? Epochs { get; init; }
        [CommandOption("--threads <N>"), Description("CPU threads (0 = all cores).")]
        public int Threads { get; init; }
        [CommandOption("--seeds <LIST>"), Description("Comma-separated training seeds, one run per row and seed (default 0,1,2; the data and pools are fixed).")]
        public string Seeds { get; init; } = "0,1,2";
        [CommandOption("--level <LEVEL>"), Description("track (whole items, pools of 2000) or clip (10-s music clips with 30 s of video, pools of 500).")]
        public string Level { get; init; } = "track";
        [CommandOption("--only <RUNS>"), Description("Comma-separated runs to train and report without judging the claims (mvpt+, mt, viml, viml-no-dropout, "
            + "viml-addition, viml-linear, viml-mlp, viml-transformer1, viml-dropout-0.5, and the text-use runs of docs/model.md).")]
        public string? Only { get; init; }
        [CommandOption("--calibrate"), Description("Train only the baselines: MVPt+ for each --nuisance, MT for each --tag-recall (seed 0, track level).")]
        public bool Calibrate { get; init; }
        [CommandOption("--nuisance <LIST>"), Description("With --calibrate: item video nuisance levels to try.")]
        public string? Nuisance { get; init; }
        [CommandOption("--tag-recall <LIST>"), Description("With --calibrate: tagger recalls to try.")]
        public string? TagRecall { get; init; }

        public override ValidationResult Validate()
        {
            if (ThreadCount.Problem(Threads) is { } p) return ValidationResult.Error($"--threads {p}");
            if (Level is not ("track" or "clip")) return ValidationResult.Error($"--level \"{Level}\": use track or clip");
            if (Numbers(Seeds) is not { } seeds || seeds.Any(x => x < 0 || x != Math.Floor(x)))
                return ValidationResult.Error($"--seeds \"{Seeds}\": a comma-separated list of whole numbers >= 0");
            if (Nuisance is not null && Numbers(Nuisance) is null)
                return ValidationResult.Error($"--nuisance \"{Nuisance}\": a comma-separated list of numbers");
            if (TagRecall is not null && (Numbers(TagRecall) is not { } r || r.Any(x => x is < 0 or > 1)))
                return ValidationResult.Error($"--tag-recall \"{TagRecall}\": numbers in [0, 1]");
            return ValidationResult.Success();
        }
    }

    internal static double[]? Numbers(string list)
    {
        var parts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i])) return null;
        return parts.Length == 0 ? null : values;
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var o = new Reproduction.Options
        {
            Output = Path.GetFullPath(s.Out), Only = s.Only?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Level = s.Level == "clip" ? Level.Clip : Level.Track, Seeds = Numbers(s.Seeds)!.Select(x => (int)x).ToList(),
        };
        o = o with { Train = o.Train with { Threads = s.Threads, Epochs = s.Epochs ?? o.Train.Epochs } };
        var log = (IProgress<TrainProgress> p) => new SyncProgress<string>(line =>
        {
            AnsiConsole.MarkupLine(Markup.Escape(line));
            if (line.StartsWith("training ") && p is TrainingView.SwitchingProgress sp) sp.Rename(line["training ".Length..]);
        });
        string md, report;
        if (s.Calibrate)
        {
            var points = TrainingView.Run("calibrate", p => BenchmarkCalibration.Run(o, Numbers(s.Nuisance ?? "")?.ToList() ?? new List<double>(),
                Numbers(s.TagRecall ?? "")?.ToList() ?? new List<double>(), log(p), p, cancellation));
            md = BenchmarkCalibration.ToMarkdown(points);
            report = Path.Combine(o.Output, "calibration.md");
        }
        else
        {
            var result = TrainingView.Run("reproduce", p => Reproduction.Run(o, log(p), p, cancellation));
            md = ReproductionReport.ToMarkdown(result);
            report = Path.Combine(o.Output, $"reproduce-{s.Level}.md");
        }
        AtomicFile.WriteAllText(report, md);
        Console.WriteLine();
        Console.WriteLine(md);
        AnsiConsole.MarkupLine(Markup.Escape($"report: {report}"));
        return 0;
    }
}
