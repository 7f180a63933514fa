using System.Diagnostics;
using Viml.Metrics;
using Viml.Model;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Evaluation;

/// <summary>
/// `viml bench reproduce`: trains MVPt+, MT and ViML (five fusions, with and without text dropout) on the
/// synthetic benchmark, on several training seeds, at track or clip level, and sets the results beside the
/// paper's Tables 1, 3, 4 and 5 with a verdict per claim that uses the seeds' spread (see <see cref="ClaimTest"/>).
/// Every (run, seed) is a resumable run folder under <see cref="Options.Output"/>/&lt;level&gt;/&lt;run&gt;/seed-&lt;s&gt;.
/// </summary>
public static class Reproduction
{
    public sealed record Options
    {
        public SyntheticConfig Data { get; init; } = new();
        /// <summary>Model widths for the benchmark: smaller than the paper's d = 256 so that every run fits a shared 2-core machine.</summary>
        public ModelConfig Model { get; init; } = new() { Dimension = 64, Heads = 4, FeedForward = 128, FusionHidden = 256 };
        public TrainConfig Train { get; init; } = new() { BatchSize = 128, Epochs = 16, LearningRate = 5e-4, Warmup = 0.1, ValidationPool = 500 };
        public Level Level { get; init; } = Level.Track;
        /// <summary>Pool size N; null = the paper's for the level (2000 tracks, 500 clips).</summary>
        public int? Pool { get; init; }
        public int PoolSize => Pool ?? (Level == Level.Clip ? RetrievalProtocol.ClipPool : RetrievalProtocol.TrackPool);
        /// <summary>Training seeds; every row is trained once per seed (the data and the pools stay fixed).</summary>
        public IReadOnlyList<int> Seeds { get; init; } = new[] { 0, 1, 2 };
        public string Output { get; init; } = Path.Combine(Path.GetTempPath(), "viml-reproduce");
        /// <summary>Only the runs needed by claims 1 and 2 + MT (the CI-sized version uses this).</summary>
        public bool SkipFusionStudy { get; init; }
        /// <summary>Train and report only these runs (e.g. "viml"); the claims are then not judged.</summary>
        public IReadOnlyList<string>? Only { get; init; }
    }

    /// <summary>One row: per-seed metrics, and the paper's row.</summary>
    public sealed record Line(string Method, string Query, IReadOnlyList<RetrievalMetrics> Seeds, string Paper)
    {
        public SeedInterval Of(Func<RetrievalMetrics, double> metric) => SeedInterval.Of(Seeds.Select(metric).ToList());
        /// <summary>The first seed's metrics (the whole table of a one-seed run).</summary>
        public RetrievalMetrics Ours => Seeds[0];
    }

    public sealed record Claim(string Title, string PaperTable, IReadOnlyList<Line> Lines, IReadOnlyList<ClaimTest> Tests)
    {
        public Verdict Verdict => ClaimTest.All(Tests);
        public bool Holds => Verdict == Verdict.Holds;
    }

    public sealed record Result(IReadOnlyList<Claim> Claims, IReadOnlyDictionary<string, TimeSpan> TrainTime, TimeSpan Total,
        int PoolSize, int TestQueries, Level Level, IReadOnlyList<int> Seeds);

    /// <summary>A run of the study: its name and how it departs from the benchmark's model and training.</summary>
    public sealed record RunSpec(string Name, Func<ModelConfig, ModelConfig> Model, Func<TrainConfig, TrainConfig>? Train = null);

    public static readonly IReadOnlyList<RunSpec> Runs = new RunSpec[]
    {
        new("mvpt+", m => m with { Variant = Variant.MvptPlus }),
        new("mt", m => m with { Variant = Variant.Mt }),
        new("viml", m => m),
        new("viml-no-dropout", m => m with { TextDropout = 0 }),
        new("viml-addition", m => m with { Fusion = Fusion.Addition }),
        new("viml-linear", m => m with { Fusion = Fusion.Linear }),
        new("viml-mlp", m => m with { Fusion = Fusion.Mlp }),
        new("viml-transformer1", m => m with { Fusion = Fusion.Transformer1 }),
    };

    /// <summary>
    /// The runs a full study trains at a level, as the paper evaluates: track level Tables 1 and 5 and the dropout
    /// pair (MVPt+, MT, ViML with and without text dropout); clip level Tables 3 and 4 (MVPt+ for reference,
    /// ViML with and without text dropout, the four other fusions).
    /// </summary>
    static IEnumerable<RunSpec> Planned(Options o)
    {
        if (o.Only is { } only) return Runs.Concat(ExtraRuns).Where(r => only.Contains(r.Name));
        bool fusions = o.Level == Level.Clip && !o.SkipFusionStudy;
        return Runs.Where(r => r.Name is "mvpt+" or "viml" or "viml-no-dropout" || (r.Name == "mt" && o.Level == Level.Track)
            || (fusions && r.Name.StartsWith("viml-")));
    }

    /// <summary>
    /// Runs outside the paper's tables, trained only when named in <see cref="Options.Only"/>: what makes ViML with
    /// p = 0.8 use the text (batch size = negatives per step, the text branch's learning rate, pre-norm fusion, x^null).
    /// </summary>
    public static readonly IReadOnlyList<RunSpec> ExtraRuns = new RunSpec[]
    {
        new("viml-dropout-0.5", m => m with { TextDropout = 0.5 }),
        new("viml-batch-32", m => m, t => t with { BatchSize = 32 }),
        new("viml-batch-512", m => m, t => t with { BatchSize = 512 }),
        new("viml-text-lr-x10", m => m, t => t with { TextLearningRate = 10 * t.LearningRate }),
        new("viml-prenorm", m => m with { FusionNormFirst = true }),
        new("viml-null-zero", m => m with { TextDropoutValue = TextDropoutValue.Zero }),
    };

    /// <summary>Scores of one run on one seed: test and validation pools, the main query and (ViML) video alone.</summary>
    sealed record Scored(float[][] Test, float[][] Val);

    public static Result Run(Options o, IProgress<string>? log = null, IProgress<TrainProgress>? training = null, CancellationToken ct = default)
    {
        var total = Stopwatch.StartNew();
        log?.Report($"generating the synthetic benchmark ({o.Data.Train} train / {o.Data.Validation} val / {o.Data.Test} test items)");
        var bench = new SyntheticBenchmark(o.Data);
        using var encoder = new SyntheticTextEncoder(o.Data.TextDimension);
        var data = bench.ToTrainingData(encoder);
        var test = new SplitScorer(ClipWindows.AtLevel(data.Test, o.Level), o.PoolSize, 0);
        var val = new SplitScorer(ClipWindows.AtLevel(data.Validation, o.Level), o.PoolSize, 1);

        var times = new Dictionary<string, TimeSpan>();
        var scores = new Dictionary<string, List<Scored>>();
        void Keep(string key, Scored s) { if (!scores.TryGetValue(key, out var l)) scores[key] = l = new List<Scored>(); l.Add(s); }
        foreach (var spec in Planned(o))
            foreach (int seed in o.Seeds)
            {
                var sw = Stopwatch.StartNew();
                string name = $"{spec.Name} seed {seed}";
                log?.Report($"training {name}");
                var config = (spec.Train?.Invoke(o.Train) ?? o.Train) with
                {
                    Model = spec.Model(o.Model), Seed = seed, Level = o.Level, Store = "synthetic",
                    Output = Path.Combine(o.Output, o.Level.ToString().ToLowerInvariant(), spec.Name, $"seed-{seed}"),
                };
                var result = Trainer.Train(config, data, training, ct);
                times[name] = sw.Elapsed;
                using var model = TrainedModel.Load(result.BestDir);
                Keep(spec.Name, new Scored(test.Scores(model, true), val.Scores(model, true)));
                if (spec.Name.StartsWith("viml")) Keep(spec.Name + "/video", new Scored(test.Scores(model, false), val.Scores(model, false)));
            }
        IReadOnlyList<RetrievalMetrics> M(string key) => scores[key].Select(s => test.Metrics(s.Test)).ToList();
        Result Done(List<Claim> claims) => new(claims, times, total.Elapsed, test.PoolSize, test.Items.Count, o.Level, o.Seeds);
        if (o.Only is not null)
            return Done(new List<Claim> { new("Runs (no claim judged)", "-", scores.Keys.Order().Select(k =>
                new Line(k, k.EndsWith("/video") ? "video" : k.StartsWith("mvpt") ? "video" : k == "mt" ? "text" : "video + text", M(k), "-")).ToList(),
                Array.Empty<ClaimTest>()) });
        return Done(ReproductionClaims.Judge(o, M, (a, b) => Ensemble(scores[a], scores[b], test, val)).ToList());
    }

    /// <summary>Per seed: the ensemble (1 - a) s_a + a s_b with a tuned on validation (Appendix C).</summary>
    static (IReadOnlyList<RetrievalMetrics> Metrics, IReadOnlyList<double> Alphas) Ensemble(List<Scored> a, List<Scored> b, SplitScorer test, SplitScorer val)
    {
        var alphas = a.Zip(b, (x, y) => val.TuneAlpha(x.Val, y.Val)).ToList();
        var metrics = a.Zip(b, (x, y) => (x, y)).Select((p, i) => test.Metrics(RetrievalProtocol.Blend(p.x.Test, p.y.Test, alphas[i]))).ToList();
        return (metrics, alphas);
    }
}
