using System.Numerics.Tensors;
using Viml.Encoders;
using Viml.Text;

namespace Viml.Catalog;

/// <summary>
/// Search by words alone, no trained model: each segment's score for a sentence is
/// <c>cos(E(sentence without its ruled-out phrases), E(description)) + a · mean_{wanted} c(attr) − b · max_{unwanted} c(attr)</c>,
/// where E is the sentence encoder (MiniLM), the description is the segment's tags written out
/// (<see cref="WordDescriptions"/>), and c(attr) the taggers' raw confidence in an attribute the sentence names
/// through the attribute lexicon (or in a narrower one: "electric guitar" counts for "guitar"). The weights a and b
/// were chosen on MusicCaps captions outside the measured ones (docs/words.md): a by the best mean reciprocal rank;
/// b made as strong as a wanted attribute, since MusicCaps' few negations could not tell 0.3 from 1 apart.
/// Holds every segment's vector in memory (384 floats each) and scores them all: exact, for catalogs up to a few
/// hundred thousand segments.
/// </summary>
public sealed class WordSearch
{
    /// <summary>Weight a of the attributes a sentence asks for.</summary>
    public const float AttributeWeight = 2f;
    /// <summary>Weight b of the attributes a sentence rules out.</summary>
    public const float NegationWeight = 1f;

    readonly ITextEncoder _encoder;
    readonly TagVocabulary _vocabulary;
    readonly MusicAttribute?[] _columns;
    public IReadOnlyList<long> Segments { get; }
    public IReadOnlyList<long> TrackOf { get; }
    public IReadOnlyList<string> Descriptions { get; }
    readonly float[] _vectors;
    readonly float[][] _tags;
    readonly int _d;

    WordSearch(ITextEncoder encoder, TagVocabulary vocabulary, IReadOnlyList<string> tagNames,
        IReadOnlyList<(long Segment, long Track, string Text, float[] Vector, float[] Tags)> rows)
    {
        _encoder = encoder; _vocabulary = vocabulary; _d = encoder.Dimension;
        _columns = tagNames.Select(n => vocabulary.ResolveTagName(n).Attribute).ToArray();
        Segments = rows.Select(r => r.Segment).ToArray();
        TrackOf = rows.Select(r => r.Track).ToArray();
        Descriptions = rows.Select(r => r.Text).ToArray();
        _vectors = new float[rows.Count * _d];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Vector.Length != _d) throw new InvalidInputException($"segment {rows[i].Segment}: a {rows[i].Vector.Length}-d description vector, {encoder.Name} gives {_d}-d");
            rows[i].Vector.CopyTo(_vectors, i * _d);
        }
        _tags = rows.Select(r => r.Tags).ToArray();
    }

    /// <summary>Describes what lacks a description, then loads every segment's description vector.</summary>
    public static WordSearch Open(MusicCatalog catalog, ITextEncoder encoder, TagVocabulary? vocabulary = null)
    {
        WordDescriptions.Ensure(catalog, encoder);
        return new WordSearch(encoder, vocabulary ?? TagVocabulary.Default, catalog.Info.TagNames, WordDescriptions.Segments(catalog, encoder.Name));
    }

    /// <summary>One score per segment of <see cref="Segments"/>, for a sentence.</summary>
    public float[] Score(string text) => Score(WordQuery.Parse(text, _vocabulary));

    public float[] Score(WordQuery q) => Score(q, AttributeWeight, NegationWeight);

    /// <summary>Scores with other weights (a = 0 and b = 0: the sentence encoder alone); <paramref name="encoder"/> false
    /// leaves the encoder out (attributes alone). For measuring the parts.</summary>
    public float[] Score(WordQuery q, float attributeWeight, float negationWeight, bool encoder = true)
    {
        int n = Segments.Count;
        var scores = new float[n];
        if (q.HasWords && encoder)
        {
            var e = _encoder.Embed([q.EmbeddingText])[0];
            float norm = TensorPrimitives.Norm(e);
            if (norm > 0) TensorPrimitives.Divide(e, norm, e);
            for (int i = 0; i < n; i++) scores[i] = TensorPrimitives.Dot<float>(_vectors.AsSpan(i * _d, _d), e);
        }
        var wanted = q.Wanted.Select(WantedColumns).Where(c => c.Columns.Length > 0).ToList();
        var unwanted = q.Unwanted.Select(Columns).Where(c => c.Length > 0).ToList();
        for (int i = 0; i < n; i++)
        {
            var t = _tags[i];
            if (wanted.Count > 0) scores[i] += attributeWeight * wanted.Average(w => w.Factor * Confidence(t, w.Columns));
            if (unwanted.Count > 0) scores[i] -= negationWeight * unwanted.Max(cols => Confidence(t, cols));
        }
        return scores;
    }

    /// <summary>Columns that speak for a wanted attribute: its own or narrower ones; when the taggers have none, those of
    /// the nearest broader attribute at half weight ("orchestral" asked, "classical" tagged).</summary>
    (int[] Columns, float Factor) WantedColumns(MusicAttribute a)
    {
        var own = Columns(a);
        if (own.Length > 0) return (own, 1f);
        for (var p = a.Parent is null ? null : _vocabulary.Find(a.Parent); p != null; p = p.Parent is null ? null : _vocabulary.Find(p.Parent))
            if (Columns(p) is { Length: > 0 } broader) return (broader, BroaderFactor);
        return ([], 0f);
    }

    /// <summary>Weight of a broader attribute's confidence standing in for a wanted one the taggers cannot predict.</summary>
    public const float BroaderFactor = 0.5f;

    /// <summary>Tagger columns of an attribute or of a narrower one.</summary>
    int[] Columns(MusicAttribute a) =>
        Enumerable.Range(0, _columns.Length).Where(i => _columns[i] is { } c && (c == a || IsNarrower(c, a))).ToArray();

    bool IsNarrower(MusicAttribute narrow, MusicAttribute broad)
    {
        for (var p = narrow.Parent; p != null; p = _vocabulary.Find(p)?.Parent) if (p == broad.Name) return true;
        return false;
    }

    static float Confidence(float[] tags, int[] cols)
    {
        float m = 0;
        foreach (int c in cols) if (c < tags.Length) m = MathF.Max(m, tags[c]);
        return m;
    }
}
