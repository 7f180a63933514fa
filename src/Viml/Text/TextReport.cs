using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Viml.Encoders;

namespace Viml.Text;

/// <summary>How one approach's descriptions compare, over the same tag sets.</summary>
public sealed record ApproachMetrics(
    string Approach, int Texts,
    double TagRecall, double Hallucination,
    double Distinct1, double Distinct2, int Vocabulary, double MeanWords,
    double? NearestHuman, double? CentroidSimilarity, string? Note = null)
{
    /// <summary>Mean share of a text's content words that neither its tags nor the neutral vocabulary support (<see cref="SupportedWords"/>).</summary>
    public double UnsupportedWords { get; init; }
}

/// <summary>
/// <c>viml synth-text --report</c>: for each approach, over the same tag sets, tag fidelity (share of kept tags the text
/// mentions; share of mentioned attributes not in the tags = hallucination; share of content words that neither the tags nor
/// the neutral vocabulary support = unsupported words), diversity (distinct-1/2 over all its texts,
/// vocabulary size) and closeness to human text (mean sentence-embedding cosine of each text to its nearest human
/// description, and of the set's centroid to the human centroid). Tag sets: MusicCaps aspect lists of its held-out
/// (AudioSet eval) rows mapped to the vocabulary; the human set: those rows' captions. No example comes from them.
/// </summary>
public static class TextReport
{
    /// <summary>Up to <paramref name="count"/> held-out MusicCaps rows with at least <paramref name="minTags"/> tags, in a seeded random order.</summary>
    public static IReadOnlyList<HumanExample> HeldOut(int count, int seed = 0, int minTags = 3) =>
        HumanExamples.Shipped(ExampleSet.MusicCaps).Where(e => e.HeldOut && e.Tags.Count >= minTags)
            .OrderBy(e => TextSynthesis.ItemSeed(seed, e.Id)).Take(count).ToList();

    static readonly Regex Word = new(@"[\p{L}\p{N}][\p{L}\p{N}'&-]*", RegexOptions.Compiled);
    static List<string> Words(string t) => Word.Matches(t.ToLowerInvariant()).Select(m => m.Value).ToList();

    /// <summary>Fidelity of one text to its tags: (kept tags mentioned / kept, mentioned attributes not in the tags / mentioned).</summary>
    public static (double Recall, double Hallucination) Fidelity(string text, TagSet tags, TagVocabulary? vocabulary = null)
    {
        var v = vocabulary ?? TagVocabulary.Default;
        var mentioned = v.MentionedAttributes(text);
        double recall = tags.IsEmpty ? 1 : tags.Attributes.Count(k => mentioned.Any(m => v.Related(k, m))) / (double)tags.Count;
        double halluc = mentioned.Count == 0 ? 0 : mentioned.Count(m => !tags.Attributes.Any(k => v.Related(k, m))) / (double)mentioned.Count;
        return (recall, halluc);
    }

    /// <summary>Measures a set of texts written for <paramref name="sets"/> (texts[i] describes sets[i]).</summary>
    public static ApproachMetrics Measure(string approach, IReadOnlyList<string> texts, IReadOnlyList<TagSet> sets,
        float[][]? humanEmbeddings, ITextEncoder? encoder, string? note = null, bool excludeSelf = false)
    {
        double recall = 0, halluc = 0, unsupported = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            var (r, h) = Fidelity(texts[i], sets[i]);
            recall += r; halluc += h;
            unsupported += SupportedWords.UnsupportedShare(texts[i], sets[i]);
        }
        var unigrams = new List<string>();
        var bigrams = new List<string>();
        foreach (var t in texts)
        {
            var w = Words(t);
            unigrams.AddRange(w);
            for (int i = 0; i + 1 < w.Count; i++) bigrams.Add(w[i] + " " + w[i + 1]);
        }
        double? nearest = null, centroid = null;
        if (encoder != null && humanEmbeddings != null && texts.Count > 0)
        {
            var emb = encoder.Embed(texts);
            double s = 0;
            for (int i = 0; i < emb.Length; i++)
            {
                double best = double.NegativeInfinity;
                for (int j = 0; j < humanEmbeddings.Length; j++)
                {
                    if (excludeSelf && i == j) continue;
                    best = Math.Max(best, Cosine(emb[i], humanEmbeddings[j]));
                }
                s += best;
            }
            nearest = s / emb.Length;
            centroid = Cosine(Mean(emb), Mean(humanEmbeddings));
        }
        int n = Math.Max(texts.Count, 1);
        return new ApproachMetrics(approach, texts.Count, recall / n, halluc / n,
            unigrams.Count == 0 ? 0 : unigrams.Distinct().Count() / (double)unigrams.Count,
            bigrams.Count == 0 ? 0 : bigrams.Distinct().Count() / (double)bigrams.Count,
            unigrams.Distinct().Count(), unigrams.Count / (double)n, nearest, centroid, note) { UnsupportedWords = unsupported / n };
    }

    /// <summary>Runs every approach once per held-out tag set and measures it; the human captions come first as a reference row.</summary>
    public static IReadOnlyList<ApproachMetrics> Run(IReadOnlyList<HumanExample> heldOut, IEnumerable<ITextSynthesizer> approaches,
        ITextEncoder? encoder, int seed = 0, IProgress<string>? progress = null, IReadOnlyDictionary<string, string>? notes = null)
    {
        var sets = heldOut.Select(e => e.Tags).ToList();
        var humans = heldOut.Select(e => e.Text).ToList();
        float[][]? humanEmb = encoder?.Embed(humans);
        var rows = new List<ApproachMetrics>
        {
            Measure("human (held out)", humans, sets, humanEmb, encoder, "reference: the captions themselves; closeness to the nearest other caption", excludeSelf: true),
        };
        foreach (var a in approaches)
        {
            progress?.Report(a.Name);
            var texts = new List<string>(sets.Count);
            for (int i = 0; i < sets.Count; i++) texts.Add(a.Describe(sets[i], new Random(TextSynthesis.ItemSeed(seed, heldOut[i].Id))));
            rows.Add(Measure(a.Name, texts, sets, humanEmb, encoder, notes?.GetValueOrDefault(a.Name)));
        }
        return rows;
    }

    static double Cosine(float[] a, float[] b)
    {
        double d = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0 : d / Math.Sqrt(na * nb);
    }

    static float[] Mean(float[][] rows)
    {
        var m = new float[rows[0].Length];
        foreach (var r in rows) for (int i = 0; i < m.Length; i++) m[i] += r[i] / rows.Length;
        return m;
    }

    /// <summary>The sentence encoder the report uses for closeness (all-MiniLM-L6-v2).</summary>
    public static ITextEncoder DefaultEncoder() => new MiniLmTextEncoder();

    /// <summary>The table as Markdown.</summary>
    public static string ToMarkdown(IReadOnlyList<ApproachMetrics> rows)
    {
        string F(double? x) => x is null ? "-" : x.Value.ToString("0.000", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine("| approach | texts | tag recall | hallucination | unsupported words | distinct-1 | distinct-2 | vocabulary | words/text | nearest human (MiniLM) | centroid (MiniLM) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Approach} | {r.Texts} | {F(r.TagRecall)} | {F(r.Hallucination)} | {F(r.UnsupportedWords)} | {F(r.Distinct1)} | {F(r.Distinct2)} | {r.Vocabulary} | {r.MeanWords.ToString("0.0", CultureInfo.InvariantCulture)} | {F(r.NearestHuman)} | {F(r.CentroidSimilarity)} |");
        var notes = rows.Where(r => r.Note != null).ToList();
        if (notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var r in notes) sb.AppendLine($"- {r.Approach}: {r.Note}");
        }
        return sb.ToString();
    }
}
