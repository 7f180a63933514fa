namespace Viml.Text;

/// <summary>An attribute with the tagger's confidence in it (0..1).</summary>
public readonly record struct ScoredAttribute(MusicAttribute Attribute, float Confidence);

/// <summary>The kept tags of one clip or track (the method's structured data d): attributes, most confident first.</summary>
public sealed class TagSet
{
    public IReadOnlyList<ScoredAttribute> Tags { get; }

    public TagSet(IEnumerable<ScoredAttribute> tags) =>
        Tags = tags.GroupBy(t => t.Attribute).Select(g => g.MaxBy(t => t.Confidence))
            .OrderByDescending(t => t.Confidence).ThenBy(t => t.Attribute.Name, StringComparer.Ordinal).ToList();

    public static TagSet Empty { get; } = new(Array.Empty<ScoredAttribute>());

    /// <summary>A tag set from attribute names, confidences falling from 0.9 in the order given (for examples and tests).</summary>
    public static TagSet FromNames(TagVocabulary vocabulary, params string[] names) =>
        new(names.Select((n, i) => new ScoredAttribute(vocabulary.Get(n), MathF.Round(MathF.Max(0.9f - 0.05f * i, 0.31f), 3))));

    public bool IsEmpty => Tags.Count == 0;
    public int Count => Tags.Count;
    public IEnumerable<MusicAttribute> Attributes => Tags.Select(t => t.Attribute);
    public bool Contains(MusicAttribute a) => Tags.Any(t => t.Attribute == a);

    public IReadOnlyList<ScoredAttribute> Of(TagCategory category) => Tags.Where(t => t.Attribute.Category == category).ToList();

    /// <summary>Instruments then vocals: what the paper's prompt lists under INSTRUMENTS.</summary>
    public IReadOnlyList<ScoredAttribute> InstrumentsAndVocals =>
        Tags.Where(t => t.Attribute.Category is TagCategory.Instrument or TagCategory.Vocals).ToList();

    public override string ToString() => string.Join(", ", Tags.Select(t => $"{t.Attribute.Name} ({t.Confidence:0.00})"));
}

public enum TagAggregation { Mean, Max }

/// <summary>How tagger confidences become kept tags (paper: aggregate per clip or track, keep &gt;= 0.3).</summary>
public sealed record TagSelection(double Threshold = 0.3, TagAggregation Aggregation = TagAggregation.Mean)
{
    public void Validate()
    {
        if (!(Threshold > 0 && Threshold < 1)) throw new ConfigException($"tag threshold {Threshold} must lie strictly between 0 and 1");
    }
}

/// <summary>
/// Reads a tagger's output (one column per store tag name) into <see cref="TagSet"/>s: aggregates the segments of a
/// clip or track (mean by default), joins the columns that map to one attribute (max), keeps those at or above the
/// threshold, then tidies: a broader attribute is dropped when a narrower one is kept ("guitar" beside "electric
/// guitar", "vocals" beside "female vocals"), and "instrumental" and sung vocals never stay together (the stronger wins).
/// </summary>
public sealed class TagReader
{
    readonly MusicAttribute?[] _columns;
    readonly (string Model, string Tag)[] _keys;
    readonly TagCalibration _calibration;
    readonly TagSelection _selection;
    readonly TagVocabulary _vocabulary;

    /// <summary>Store tag names no row of the vocabulary knows (their columns are ignored).</summary>
    public IReadOnlyList<string> UnknownTags { get; }
    public int TagCount => _columns.Length;

    /// <param name="calibration">Per-tag thresholds and the genre vote (default: the shipped ones; <see cref="TagCalibration.None"/>
    /// keeps every column at the selection's threshold, the paper's rule).</param>
    public TagReader(IReadOnlyList<string> tagNames, TagSelection? selection = null, TagVocabulary? vocabulary = null,
        TagCalibration? calibration = null)
    {
        _calibration = calibration ?? TagCalibration.Shipped;
        _keys = tagNames.Select(Key).ToArray();
        _vocabulary = vocabulary ?? TagVocabulary.Default;
        _selection = selection ?? new TagSelection();
        _selection.Validate();
        _columns = new MusicAttribute?[tagNames.Count];
        var unknown = new List<string>();
        bool anyKnown = false;
        for (int i = 0; i < tagNames.Count; i++)
        {
            var (known, attr) = _vocabulary.ResolveTagName(tagNames[i]);
            if (!known) unknown.Add(tagNames[i]); else anyKnown = true;
            _columns[i] = attr;
        }
        UnknownTags = unknown;
        if (!anyKnown)
            throw new InvalidInputException(tagNames.Count == 0
                ? "the feature store lists no tag names: it was made without a music tagger, so there is nothing to describe"
                : $"none of the {tagNames.Count} tag names is in the tag vocabulary (first: '{tagNames[0]}'); expected \"<model>:<category>:<tag>\" with model msd, mtt or jamendo as the musicnn taggers name them");
    }

    /// <summary>Kept tags of a clip or track from its per-segment confidences [S, T].</summary>
    public TagSet Read(IReadOnlyList<float[]> segmentTags, string itemName = "item")
    {
        if (segmentTags.Count == 0) return TagSet.Empty;
        var pooled = new float[_columns.Length];
        foreach (var row in segmentTags)
        {
            if (row.Length != _columns.Length) throw new InvalidInputException($"{itemName}: {row.Length} tag confidences per segment, the store names {_columns.Length} tags");
            for (int t = 0; t < row.Length; t++)
            {
                float c = row[t];
                if (!float.IsFinite(c)) throw new InvalidInputException($"{itemName}: tag confidence {c} is not a number");
                pooled[t] = _selection.Aggregation == TagAggregation.Max ? MathF.Max(pooled[t], c) : pooled[t] + c / segmentTags.Count;
            }
        }
        return ReadPooled(pooled);
    }

    /// <summary>Kept tags from confidences already pooled over the clip or track.</summary>
    public TagSet ReadPooled(float[] confidences)
    {
        var best = new Dictionary<MusicAttribute, float>();
        var votes = new Dictionary<MusicAttribute, HashSet<string>>();    // taggers whose column reaches its threshold
        var voters = new Dictionary<MusicAttribute, HashSet<string>>();   // taggers that can name the attribute
        for (int t = 0; t < _columns.Length; t++)
        {
            var a = _columns[t];
            if (a is null) continue;
            float c = Math.Clamp(confidences[t], 0f, 1f);
            var (model, tag) = _keys[t];
            (voters.TryGetValue(a, out var v) ? v : voters[a] = []).Add(model);
            if (c < (_calibration.ThresholdOf(model, tag) ?? _selection.Threshold)) continue;
            (votes.TryGetValue(a, out var w) ? w : votes[a] = []).Add(model);
            if (!best.TryGetValue(a, out var b) || c > b) best[a] = c;
        }
        int Needed(MusicAttribute a) => a.Category == TagCategory.Genre ? Math.Min(_calibration.GenreVotes, voters[a].Count) : 1;
        var kept = best.Where(kv => votes[kv.Key].Count >= Needed(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        return Tidy(kept, _vocabulary);
    }

    /// <summary>(tagger, tag) of a store tag name "model:category:tag".</summary>
    public static (string Model, string Tag) Key(string tagName)
    {
        int first = tagName.IndexOf(':'), last = tagName.LastIndexOf(':');
        return first <= 0 ? ("", tagName) : (tagName[..first].Trim().ToLowerInvariant(), tagName[(last + 1)..].Trim().ToLowerInvariant());
    }

    internal static TagSet Tidy(Dictionary<MusicAttribute, float> kept, TagVocabulary vocabulary)
    {
        foreach (var a in kept.Keys.ToList())
            if (kept.Keys.Any(b => b != a && IsAncestor(a, b, vocabulary)))
                kept.Remove(a);
        var instrumental = vocabulary.Find("instrumental");
        if (instrumental != null && kept.TryGetValue(instrumental, out float ci))
        {
            var sung = kept.Where(kv => kv.Key.Category == TagCategory.Vocals && kv.Key != instrumental).ToList();
            if (sung.Count > 0)
            {
                if (sung.Max(kv => kv.Value) >= ci) kept.Remove(instrumental);
                else foreach (var kv in sung) kept.Remove(kv.Key);
            }
        }
        return new TagSet(kept.Select(kv => new ScoredAttribute(kv.Key, kv.Value)));
    }

    static bool IsAncestor(MusicAttribute ancestor, MusicAttribute of, TagVocabulary vocabulary)
    {
        for (var p = of.Parent; p != null; p = vocabulary.Find(p)?.Parent) if (p == ancestor.Name) return true;
        return false;
    }
}
