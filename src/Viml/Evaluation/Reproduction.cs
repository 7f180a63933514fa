using System.Diagnostics;
using System.Text;
using Viml.Metrics;
using Viml.Model;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Evaluation;

/// <summary>
/// `viml bench reproduce`: trains MVPt+, MT, ViML (five fusions, with and without text dropout) on the
/// synthetic benchmark and sets the results beside the paper's Tables 1, 3, 4 and 5, with a verdict
/// per claim. Runs are resumable (each in its own run folder under <see cref="Options.Output"/>).
/// </summary>
public static class Reproduction
{
    public sealed record Options
    {
        public SyntheticConfig Data { get; init; } = new();
        /// <summary>Model widths for the benchmark (smaller than the paper's d = 256 so all runs fit 15 min on 2 cores).</summary>
        public ModelConfig Model { get; init; } = new() { Dimension = 128, Heads = 4, FeedForward = 256, FusionHidden = 512 };
        public TrainConfig Train { get; init; } = new() { BatchSize = 128, Epochs = 8, LearningRate = 5e-4, Warmup = 0.1, ValidationPool = 500 };
        public int PoolSize { get; init; } = RetrievalProtocol.TrackPool;
        public string Output { get; init; } = Path.Combine(Path.GetTempPath(), "viml-reproduce");
        /// <summary>Only the runs needed by claims 1 and 2 + MT (the CI-sized version uses this).</summary>
        public bool SkipFusionStudy { get; init; }
        /// <summary>Train and report only these runs (e.g. "viml"); the claims are then not judged.</summary>
        public IReadOnlyList<string>? Only { get; init; }
    }

    /// <summary>Our row and the paper's row for one method.</summary>
    public sealed record Line(string Method, string Query, RetrievalMetrics Ours, string Paper);
    public sealed record Claim(string Title, string PaperTable, IReadOnlyList<Line> Lines, bool Holds, string Verdict);
    public sealed record Result(IReadOnlyList<Claim> Claims, IReadOnlyDictionary<string, TimeSpan> TrainTime, TimeSpan Total, int PoolSize, int TestQueries);

    static readonly (string Name, Func<ModelConfig, ModelConfig> Edit)[] Runs =
    {
        ("mvpt+", m => m with { Variant = Variant.MvptPlus }),
        ("mt", m => m with { Variant = Variant.Mt }),
        ("viml", m => m),
        ("viml-no-dropout", m => m with { TextDropout = 0 }),
        ("viml-dropout-0.5", m => m with { TextDropout = 0.5 }),
        ("viml-addition", m => m with { Fusion = Fusion.Addition }),
        ("viml-linear", m => m with { Fusion = Fusion.Linear }),
        ("viml-mlp", m => m with { Fusion = Fusion.Mlp }),
        ("viml-transformer1", m => m with { Fusion = Fusion.Transformer1 }),
    };

    public static Result Run(Options o, IProgress<string>? log = null, IProgress<TrainProgress>? training = null, CancellationToken ct = default)
    {
        var total = Stopwatch.StartNew();
        log?.Report($"generating the synthetic benchmark ({o.Data.Train} train / {o.Data.Validation} val / {o.Data.Test} test items)");
        var bench = new SyntheticBenchmark(o.Data);
        using var encoder = new SyntheticTextEncoder(o.Data.TextDimension);
        var data = bench.ToTrainingData(encoder);
        var test = new SplitScorer(data.Test, o.PoolSize, o.Train.Seed);
        var val = new SplitScorer(data.Validation, o.PoolSize, o.Train.Seed + 1);

        var times = new Dictionary<string, TimeSpan>();
        var scores = new Dictionary<string, (float[][] Test, float[][] Val)>();
        foreach (var (name, edit) in Runs)
        {
            if (o.SkipFusionStudy && name.StartsWith("viml-") && name != "viml-no-dropout") continue;
            if (o.Only is { } only && !only.Contains(name)) continue;
            var sw = Stopwatch.StartNew();
            log?.Report($"training {name}");
            var config = o.Train with { Model = edit(o.Model), Output = Path.Combine(o.Output, name), Store = "synthetic" };
            var result = Trainer.Train(config, data, training, ct);
            times[name] = sw.Elapsed;
            using var model = TrainedModel.Load(result.BestDir);
            scores[name] = (test.Scores(model, true), val.Scores(model, true));
            if (name.StartsWith("viml")) scores[name + "/video"] = (test.Scores(model, false), val.Scores(model, false));
        }
        RetrievalMetrics M(string key) => test.Metrics(scores[key].Test);
        if (o.Only is not null)
            return new Result(new[] { new Claim("Runs (no claim judged)", "-", scores.Keys.Order().Select(k => new Line(k, k.EndsWith("/video") ? "video" : "video + text", M(k), "-")).ToList(), true, "") },
                times, total.Elapsed, test.PoolSize, data.Test.Count);
        (RetrievalMetrics M, double A) Ens(string a, string b)
        {
            double alpha = val.TuneAlpha(scores[a].Val, scores[b].Val);
            return (test.Metrics(RetrievalProtocol.Blend(scores[a].Test, scores[b].Test, alpha)), alpha);
        }

        var claims = new List<Claim>();
        var (mvpt, vimlVideo, viml) = (M("mvpt+"), M("viml/video"), M("viml"));
        claims.Add(new Claim("1. ViML with text >> MVPt+, and ViML without text >= MVPt+", "Table 1 (track level, N = 2000)",
            new[]
            {
                new Line("MVPt+", "video", mvpt, "MR 5, R@1 27.93, R@5 50.64, R@10 60.x"),
                new Line("ViML (tags)", "video", vimlVideo, "MR 3, R@1 29.43, R@5 62.49, R@10 75.x"),
                new Line("ViML (tags)", "video + tags", viml, "MR 2, R@1 49.49, R@5 81.61, R@10 89.x"),
            },
            viml.R1 >= mvpt.R1 + 10 && vimlVideo.R10 >= mvpt.R10 - 1,
            $"ViML+text - MVPt+ = {viml.R1 - mvpt.R1:+0.0;-0.0} R@1 points (claim: >= +10); ViML video only - MVPt+ = {vimlVideo.R10 - mvpt.R10:+0.0;-0.0} R@10 points (claim: >= -1)"));

        var (noDropVideo, noDrop) = (M("viml-no-dropout/video"), M("viml-no-dropout"));
        claims.Add(new Claim("2. Text dropout helps video-only and video+text retrieval", "Table 3 (clip level, N = 500)",
            new[]
            {
                new Line("ViML, no text dropout", "video", noDropVideo, "MR 20, R@1 9.94, R@5 26.42, R@10 37.x"),
                new Line("ViML, no text dropout", "video + text", noDrop, "MR 15, R@1 11.45, R@5 30.45, R@10 42.x"),
                new Line("ViML, text dropout 0.8", "video", vimlVideo, "MR 16, R@1 12.27, R@5 30.34, R@10 41.x"),
                new Line("ViML, text dropout 0.8", "video + text", viml, "MR 12, R@1 14.09, R@5 35.04, R@10 47.x"),
            }.Concat(scores.ContainsKey("viml-dropout-0.5")
                ? new[] { new Line("ViML, text dropout 0.5", "video", M("viml-dropout-0.5/video"), "-"), new Line("ViML, text dropout 0.5", "video + text", M("viml-dropout-0.5"), "-") }
                : Array.Empty<Line>()).ToList(),
            vimlVideo.R10 > noDropVideo.R10 && viml.R10 > noDrop.R10,
            $"dropout - none: video only {vimlVideo.R10 - noDropVideo.R10:+0.0;-0.0}, video + text {viml.R10 - noDrop.R10:+0.0;-0.0} R@10 points (claim: both > 0)"));

        if (!o.SkipFusionStudy)
        {
            var fusions = new[] { ("Addition", "viml-addition", "MR 12, R@1 13.73, R@5 34.12, R@10 46.x"), ("Linear", "viml-linear", "MR 13, R@1 13.19, R@5 33.45, R@10 45.x"),
                ("MLP", "viml-mlp", "MR 13, R@1 13.20, R@5 32.69, R@10 44.x"), ("Transformer (1 layer)", "viml-transformer1", "MR 12, R@1 13.98, R@5 34.95, R@10 46.x"),
                ("Transformer (2 layer)", "viml", "MR 12, R@1 14.09, R@5 35.04, R@10 47.x") };
            var lines = fusions.Select(f => new Line(f.Item1, "video + text", M(f.Item2), f.Item3)).ToList();
            double spread = lines.Max(l => l.Ours.R1) - lines.Min(l => l.Ours.R1);
            claims.Add(new Claim("3. The five fusion modules are within a few points", "Table 4 (clip level, N = 500)", lines, spread <= 3,
                $"R@1 spread {spread:0.0} points (paper: 0.9; claim: <= 3)"));
        }

        var mt = M("mt");
        var (mtMvpt, a1) = Ens("mvpt+", "mt");
        var (vimlMvpt, a2) = Ens("viml", "mvpt+");
        var (vimlMt, a3) = Ens("viml", "mt");
        claims.Add(new Claim("4. Ensembles: MT & MVPt+ > both; ViML & MVPt+ and ViML & MT > ViML", "Table 5 (track level, N = 2000)",
            new[]
            {
                new Line("MT", "tags", mt, "MR 15, R@1 11.51, R@5 30.36, R@10 42.x"),
                new Line("MVPt+", "video", mvpt, "MR 5, R@1 27.93, R@5 50.64, R@10 60.x"),
                new Line("ViML", "video + tags", viml, "MR 2, R@1 49.49, R@5 81.61, R@10 89.x"),
                new Line($"MT & MVPt+ Ens. (a = {a1:0.00})", "video + tags", mtMvpt, "MR 1, R@1 55.95, R@5 81.73, R@10 88.x"),
                new Line($"ViML & MVPt+ Ens. (a = {a2:0.00})", "video + tags", vimlMvpt, "MR 1, R@1 59.86, R@5 85.14, R@10 91.x"),
                new Line($"ViML & MT Ens. (a = {a3:0.00})", "video + tags", vimlMt, "MR 1, R@1 63.05, R@5 91.32, R@10 96.x"),
            },
            mtMvpt.R1 > Math.Max(mt.R1, mvpt.R1) && vimlMvpt.R1 > viml.R1 && vimlMt.R1 > viml.R1,
            $"R@1 gains: MT & MVPt+ vs best single {mtMvpt.R1 - Math.Max(mt.R1, mvpt.R1):+0.0;-0.0}, ViML & MVPt+ vs ViML {vimlMvpt.R1 - viml.R1:+0.0;-0.0}, ViML & MT vs ViML {vimlMt.R1 - viml.R1:+0.0;-0.0}"));

        return new Result(claims, times, total.Elapsed, test.PoolSize, data.Test.Count);
    }

    /// <summary>The claims as Markdown tables, ours beside the paper's.</summary>
    public static string ToMarkdown(Result r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Synthetic benchmark: {r.TestQueries} test queries, pools of {r.PoolSize} (chance R@1 {100.0 / r.PoolSize:0.00}, R@10 {1000.0 / r.PoolSize:0.0}, MR {r.PoolSize / 2}); total {r.Total:mm\\:ss}.");
        foreach (var c in r.Claims)
        {
            sb.AppendLine().AppendLine(c.Verdict.Length == 0 ? $"### {c.Title}" : $"### {c.Title} — {(c.Holds ? "holds" : "does NOT hold")} here").AppendLine();
            sb.AppendLine("| method | query | MR | R@1 | R@5 | R@10 | paper (" + c.PaperTable + ") |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---|");
            foreach (var l in c.Lines)
                sb.AppendLine($"| {l.Method} | {l.Query} | {l.Ours.MedianRank:0.#} | {l.Ours.R1:0.00} | {l.Ours.R5:0.00} | {l.Ours.R10:0.00} | {l.Paper} |");
            sb.AppendLine().AppendLine(c.Verdict);
        }
        sb.AppendLine().AppendLine("Training time per run: " + string.Join(", ", r.TrainTime.Select(t => $"{t.Key} {t.Value.TotalSeconds:0} s")));
        return sb.ToString();
    }
}
