using Viml.Catalog;
using Viml.Encoders;
using Viml.Synthetic;
using Viml.Text;

namespace Viml.Bench;

/// <summary>
/// Words alone, measured with real human sentences: MusicCaps captions (CC BY-SA 4.0, data/text/) whose aspects name
/// exactly one of the demo's six styles, against a catalog of music rendered here in those styles (no trained model).
/// A caption's answer is right when a track of its style ranks first (R@1), among the first 5 / 10; MRR is the mean
/// reciprocal rank of the first track of its style. The weights of the score are chosen on the captions outside
/// MusicCaps' AudioSet eval split ("validation"); the table reports the eval split ("test"). Peers in the same run:
/// the sentence encoder alone, the attributes alone, and chance.
/// Options: --dir D (.viml/bench-words) --per-style N (4) --seconds S (20)
/// </summary>
public static class WordsBench
{
    public static int Run(string[] args)
    {
        string dir = Path.GetFullPath(Opt(args, "--dir", ".viml/bench-words"));
        int perStyle = int.Parse(Opt(args, "--per-style", "4"));
        double seconds = double.Parse(Opt(args, "--seconds", "20"), System.Globalization.CultureInfo.InvariantCulture);
        string music = Path.Combine(dir, "music"), catalogDir = Path.Combine(dir, "catalog");
        Directory.CreateDirectory(music);
        var jobs = DemoMusic.Styles.SelectMany((st, si) => Enumerable.Range(0, perStyle).Select(k => (st, Seed: 70_000 + 100 * si + k,
            File: Path.Combine(music, $"{st.Name} {k + 1:00}.wav")))).ToList();
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, j =>
        {
            if (!File.Exists(j.File)) Renderer.RenderMidi(DemoMusic.Compose(j.st, j.Seed, seconds), j.File, seconds);
        });
        using var encoder = new MusicnnEncoder();
        var parts = CatalogParts.Ingest(new BaseMusicModel(encoder.Name, encoder.Dimension), encoder);
        var catalog = MusicCatalog.OpenOrCreate(catalogDir, CatalogIngest.InfoFor(parts));
        new CatalogIngest(catalog, parts).Add(CatalogIngest.FindAudio([music]));
        using var text = EncoderRegistry.CreateTextEncoder("minilm");
        var words = WordSearch.Open(catalog, text);
        var styleOf = catalog.Tracks().ToDictionary(t => t.Id, t => t.Metadata.Title.Split(' ')[0]);

        var queries = CaptionStyles.Queries();
        var test = queries.Where(q => q.Test).ToList();
        var validation = queries.Where(q => !q.Test).ToList();
        Console.WriteLine($"words bench: {catalog.CountTracks()} rendered tracks ({perStyle} per style, {seconds:0} s), {catalog.CountSegments()} segments; " +
            $"MusicCaps captions naming one style: {validation.Count} validation, {test.Count} test (AudioSet eval split)");
        Console.WriteLine("test captions per style: " + string.Join(", ", test.GroupBy(q => q.Style).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));

        var parsed = queries.ToDictionary(q => q.Text, q => WordQuery.Parse(q.Text));
        var cache = new Dictionary<string, float[]>();
        float[] Cos(string t) => cache.TryGetValue(t, out var s) ? s : cache[t] = words.Score(parsed[t], 0, 0);
        var wantCache = new Dictionary<string, float[]>(); var notCache = new Dictionary<string, float[]>();
        float[] Want(string t) => wantCache.TryGetValue(t, out var s) ? s : wantCache[t] = words.Score(parsed[t], 1, 0, encoder: false);
        float[] Not(string t) => notCache.TryGetValue(t, out var s) ? s : notCache[t] = words.Score(parsed[t], 0, 1, encoder: false);
        float[] Combined(string t, float a, float b) => Cos(t).Select((c, i) => c + a * Want(t)[i] + b * Not(t)[i]).ToArray();
        float[] Attr(string t) => Combined(t, 1, 1).Select((v, i) => v - Cos(t)[i]).ToArray();
        Metrics Eval(IEnumerable<(string Text, string Style, bool Test)> qs, Func<string, float[]> score)
        {
            var ranks = qs.Select(q => RankOfStyle(words, styleOf, score(q.Text), q.Style)).ToList();
            return new Metrics(ranks);
        }

        // Choose a (attributes) and b (negation) on validation, by MRR.
        var grid = new[] { 0f, 0.3f, 0.6f, 1f, 1.5f, 2f, 3f, 5f };
        var best = grid.SelectMany(a => new[] { 0.3f, 1f }.Select(b => (a, b)))
            .Select(p => (p.a, p.b, M: Eval(validation, t => Combined(t, p.a, p.b))))
            .OrderByDescending(x => x.M.Mrr).ThenBy(x => x.a).First();
        Console.WriteLine($"validation: best a = {best.a}, b = {best.b} (MRR {best.M.Mrr:0.000}); shipped a = {WordSearch.AttributeWeight}, b = {WordSearch.NegationWeight}; " +
            $"at a = {best.a}: MRR {Eval(validation, t => Combined(t, best.a, 0.3f)).Mrr:0.000} with b = 0.3, {Eval(validation, t => Combined(t, best.a, 1f)).Mrr:0.000} with b = 1; " +
            $"{validation.Count(q => parsed[q.Text].Unwanted.Count > 0)} validation captions rule something out");
        Console.WriteLine();
        Console.WriteLine($"| scorer (test, {test.Count} captions, {catalog.CountTracks()} tracks) | R@1 | R@5 | R@10 | MRR |");
        Console.WriteLine("|---|---|---|---|---|");
        Row($"words alone, shipped (encoder + attributes x {WordSearch.AttributeWeight} - ruled out x {WordSearch.NegationWeight})",
            Eval(test, t => Combined(t, WordSearch.AttributeWeight, WordSearch.NegationWeight)));
        Row("sentence encoder alone", Eval(test, Cos));
        Row("attributes alone", Eval(test, Attr));
        Row("chance (expected)", Metrics.Chance(catalog.CountTracks(), perStyle));
        return 0;
    }

    /// <summary>Expected R@1, R@5, R@10 and MRR when the k tracks of the right style sit at random among n.</summary>
    internal static (double R1, double R5, double R10, double Mrr) Chance(int n, int k)
    {
        var m = Metrics.Chance(n, k);
        return (m.R1, m.R5, m.R10, m.Mrr);
    }

    static void Row(string name, Metrics m) => Console.WriteLine($"| {name} | {100 * m.R1:0.0} | {100 * m.R5:0.0} | {100 * m.R10:0.0} | {m.Mrr:0.000} |");

    /// <summary>1-based rank of the first track of <paramref name="style"/>, tracks ranked by their best segment.</summary>
    static int RankOfStyle(WordSearch words, Dictionary<long, string> styleOf, float[] scores, string style)
    {
        var best = new Dictionary<long, float>();
        for (int i = 0; i < scores.Length; i++)
        {
            long t = words.TrackOf[i];
            best[t] = best.TryGetValue(t, out var b) ? MathF.Max(b, scores[i]) : scores[i];
        }
        var order = best.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key).ToList();
        return order.FindIndex(id => styleOf[id] == style) + 1;
    }

    sealed record Metrics(double R1, double R5, double R10, double Mrr)
    {
        public Metrics(IReadOnlyList<int> ranks) : this(ranks.Average(r => r <= 1 ? 1.0 : 0), ranks.Average(r => r <= 5 ? 1.0 : 0),
            ranks.Average(r => r <= 10 ? 1.0 : 0), ranks.Average(r => 1.0 / r)) { }

        /// <summary>Expected figures when the k tracks of the right style sit at random among n.</summary>
        public static Metrics Chance(int n, int k)
        {
            // P(first right track at rank r) = C(n - r, k - 1) / C(n, k)
            var p = new double[n + 1];
            for (int r = 1; r <= n - k + 1; r++) p[r] = Choose(n - r, k - 1) / Choose(n, k);
            double At(int top) => Enumerable.Range(1, Math.Min(top, n)).Sum(r => p[r]);
            return new Metrics(At(1), At(5), At(10), Enumerable.Range(1, n).Sum(r => p[r] / r));
        }

        static double Choose(int n, int k) => k < 0 || k > n ? 0 : Enumerable.Range(1, k).Aggregate(1.0, (acc, i) => acc * (n - k + i) / i);
    }

    static string Opt(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
