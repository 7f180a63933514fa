using Viml.Metrics;
using Viml.Model;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Evaluation;

/// <summary>
/// Calibrates the synthetic benchmark on the baselines alone, before any ViML run: trained MVPt+ (seed 0,
/// the study's model and budget, track level, pools of 2000) for each item video nuisance
/// (<see cref="SyntheticConfig.Nuisance"/>), and trained MT for each tagger recall
/// (<see cref="SyntheticConfig.TagRecall"/>). The targets are the paper's Table 1: MVPt+ R@1 27.93, R@10 ~60;
/// MT (Table 5) R@1 11.51, R@10 ~42, i.e. MT well below MVPt+.
/// </summary>
public static class BenchmarkCalibration
{
    public sealed record Point(string Model, string Knob, double Value, RetrievalMetrics Metrics);

    public static IReadOnlyList<Point> Run(Reproduction.Options o, IReadOnlyList<double> nuisances, IReadOnlyList<double> recalls,
        IProgress<string>? log = null, IProgress<TrainProgress>? training = null, CancellationToken ct = default)
    {
        var points = new List<Point>();
        foreach (double v in nuisances)
            points.Add(new Point("MVPt+", "nuisance", v,
                TrainAndTest(o, o.Data with { Nuisance = v }, Variant.MvptPlus, $"mvpt+/nuisance-{v}", log, training, ct)));
        foreach (double r in recalls)
            points.Add(new Point("MT", "tag recall", r,
                TrainAndTest(o, o.Data with { TagRecall = r }, Variant.Mt, $"mt/tag-recall-{r}", log, training, ct)));
        return points;
    }

    static RetrievalMetrics TrainAndTest(Reproduction.Options o, SyntheticConfig dataConfig, Variant variant, string name,
        IProgress<string>? log, IProgress<TrainProgress>? training, CancellationToken ct)
    {
        log?.Report($"training {name}");
        using var encoder = new SyntheticTextEncoder(dataConfig.TextDimension);
        var data = new SyntheticBenchmark(dataConfig).ToTrainingData(encoder);
        var config = o.Train with
        {
            Model = o.Model with { Variant = variant }, Seed = 0, Level = Level.Track, Store = "synthetic",
            Output = Path.Combine(o.Output, "calibration", name),
        };
        var result = Trainer.Train(config, data, training, ct);
        using var model = TrainedModel.Load(result.BestDir);
        var test = new SplitScorer(data.Test, RetrievalProtocol.TrackPool, 0);
        return test.Metrics(test.Scores(model, variant != Variant.MvptPlus));
    }

    public static string ToMarkdown(IReadOnlyList<Point> points)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("| model | knob | value | MR | R@1 | R@5 | R@10 | target (paper) |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var p in points)
        {
            var m = p.Metrics;
            string target = p.Model == "MVPt+" ? "R@1 27.93, R@10 60.x" : "R@1 11.51, R@10 42.x";
            sb.AppendLine($"| {p.Model} | {p.Knob} | {p.Value:0.###} | {m.MedianRank:0.#} | {m.R1:0.00} | {m.R5:0.00} | {m.R10:0.00} | {target} |");
        }
        return sb.ToString();
    }
}
