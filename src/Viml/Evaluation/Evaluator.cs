using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Viml.Metrics;
using Viml.Model;
using Viml.Training;

namespace Viml.Evaluation;

/// <summary>One row of a results table (the paper's Tables 1-5 columns).</summary>
public sealed record ReportRow(string Method, string TrainText, string QueryText, RetrievalMetrics Metrics, double? Alpha = null);

/// <summary>A results table: JSON for machines, Markdown shaped like the paper's tables.</summary>
public sealed record EvalReport(string Title, string Split, int PoolSize, int Queries, int Seed, IReadOnlyList<ReportRow> Rows)
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{Title} ({Split}, {Queries} queries, pools of {PoolSize}, seed {Seed})").AppendLine();
        sb.AppendLine("| method | train text | query text | MR | R@1 | R@5 | R@10 |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var r in Rows)
        {
            var m = r.Metrics;
            string method = r.Alpha is double a ? $"{r.Method} (a = {a:0.00})" : r.Method;
            sb.AppendLine($"| {method} | {r.TrainText} | {r.QueryText} | {m.MedianRank:0.#} | {m.R1:0.00} | {m.R5:0.00} | {m.R10:0.00} |");
        }
        return sb.ToString();
    }
}

/// <summary>
/// Scores every query of a split against its pool (pools sampled once per split, so every model and
/// ensemble is ranked on the same pools). The query text of an item is its first text.
/// </summary>
public sealed class SplitScorer
{
    public IReadOnlyList<TrainingItem> Items { get; }
    public int[][] Pools { get; }
    public int PoolSize => Pools[0].Length;

    public SplitScorer(IReadOnlyList<TrainingItem> items, int poolSize, int seed)
    {
        if (items.Count < 2) throw new InvalidInputException($"{items.Count} items to evaluate; need at least 2");
        Items = items;
        Pools = RetrievalProtocol.SamplePools(items.Count, poolSize, seed);
    }

    /// <summary>Pool scores of a model: query = video (+ the item's text when <paramref name="withText"/>), key = music.</summary>
    public float[][] Scores(TrainedModel model, bool withText)
    {
        var texts = Items.Select(i => withText ? i.Texts.FirstOrDefault() : null).ToList();
        var queries = model.EmbedQueries(Items.Select(i => i.Video).ToList(), texts);
        var music = model.EmbedMusicBatch(Items.Select(i => i.Music).ToList());
        return RetrievalProtocol.PoolScores(queries, music, Pools);
    }

    public RetrievalMetrics Metrics(float[][] scores) => RetrievalMetrics.FromRanks(RetrievalProtocol.Ranks(scores), PoolSize);

    /// <summary>The ensemble weight a in {0, 0.05, ..., 1} with the best R@10 (then R@1) on these scores.</summary>
    public double TuneAlpha(float[][] s1, float[][] s2) =>
        Enumerable.Range(0, 21).Select(k => k / 20.0)
            .Select(a => (a, m: Metrics(RetrievalProtocol.Blend(s1, s2, a))))
            .OrderByDescending(x => x.m.R10).ThenByDescending(x => x.m.R1).ThenBy(x => x.a).First().a;
}

/// <summary>
/// `viml eval`: the paper's tables for whichever of ViML, MVPt+ and MT checkpoints are given. Audio-only items count
/// only when MT is evaluated alone.
/// </summary>
public static class Evaluator
{
    /// <param name="Level">Clip: each item is ranked by its evaluation clip (<see cref="ClipWindows.ForEvaluation"/>).</param>
    public sealed record Options(int PoolSize = RetrievalProtocol.TrackPool, int Seed = 0, string TrainText = "tags", string Split = "test",
        Level Level = Level.Track);

    /// <param name="models">Any of "viml", "mvpt+", "mt".</param>
    public static EvalReport Evaluate(IReadOnlyDictionary<string, TrainedModel> models, TrainingData data, Options o)
    {
        // a video query needs a video: with a video model in the comparison, every model is ranked on the items that have one
        if (models.Keys.Any(k => k != "mt")) data = data.WithVideoOnly();
        var testItems = ClipWindows.AtLevel(o.Split == "val" ? data.Validation : data.Test, o.Level);
        var test = new SplitScorer(testItems, o.PoolSize, o.Seed);
        var val = data.Validation.Count >= 2 ? new SplitScorer(ClipWindows.AtLevel(data.Validation, o.Level), o.PoolSize, o.Seed + 1) : null;
        var rows = new List<ReportRow>();
        var scores = new Dictionary<string, (float[][] Test, float[][]? Val)>();
        void Add(string key, string method, string trainText, string query, TrainedModel m, bool withText)
        {
            var s = (test.Scores(m, withText), val?.Scores(m, withText));
            scores[key] = s;
            rows.Add(new ReportRow(method, trainText, query, test.Metrics(s.Item1)));
        }
        if (models.TryGetValue("mt", out var mt)) Add("mt", "MT", o.TrainText, o.TrainText, mt, true);
        if (models.TryGetValue("mvpt+", out var mvpt)) Add("mvpt+", "MVPt+", "-", "-", mvpt, false);
        if (models.TryGetValue("viml", out var viml))
        {
            Add("viml-video", "ViML", o.TrainText, "-", viml, false);
            Add("viml", "ViML", o.TrainText, o.TrainText, viml, true);
        }
        foreach (var (a, b, name) in new[] { ("mt", "mvpt+", "MT & MVPt+ Ens."), ("viml", "mvpt+", "ViML & MVPt+ Ens."), ("viml", "mt", "ViML & MT Ens.") })
        {
            // Appendix C: s = (1 - a) s1 + a s2, with a tuned on validation (first model = s1 for ViML pairs, MVPt+ for MT & MVPt+).
            var (s1, s2) = a == "mt" ? (b, a) : (a, b);
            if (!scores.ContainsKey(s1) || !scores.ContainsKey(s2) || val is null) continue;
            double alpha = val.TuneAlpha(scores[s1].Val!, scores[s2].Val!);
            rows.Add(new ReportRow(name, o.TrainText, o.TrainText, test.Metrics(RetrievalProtocol.Blend(scores[s1].Test, scores[s2].Test, alpha)), alpha));
        }
        rows.Add(new ReportRow("Chance", "", "", RetrievalMetrics.Chance(test.PoolSize)));
        return new EvalReport(o.Level == Level.Clip ? "Music retrieval, clip level" : "Music retrieval", o.Split, test.PoolSize, testItems.Count, o.Seed, rows);
    }

    /// <summary>Queries per second of a model at pool size N: embed the query and score its pool (music pre-embedded, as a catalog would be).</summary>
    public static double Throughput(TrainedModel model, IReadOnlyList<TrainingItem> items, int poolSize, bool withText, int seed = 0)
    {
        var pools = RetrievalProtocol.SamplePools(items.Count, poolSize, seed);
        var music = model.EmbedMusicBatch(items.Select(i => i.Music).ToList());
        var sw = Stopwatch.StartNew();
        var queries = model.EmbedQueries(items.Select(i => i.Video).ToList(), items.Select(i => withText ? i.Texts.FirstOrDefault() : null).ToList());
        RetrievalProtocol.Ranks(RetrievalProtocol.PoolScores(queries, music, pools));
        return items.Count / sw.Elapsed.TotalSeconds;
    }
}
