using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Viml.Features;
using Viml.IO;

namespace Viml.Text;

/// <summary>Settings of <see cref="TextSynthesis.Run"/>.</summary>
public sealed record SynthesisOptions
{
    /// <summary>Descriptions written per item (each a fresh random draw).</summary>
    public int PerItem { get; init; } = 1;
    public int Seed { get; init; }
    public TagSelection Selection { get; init; } = new();

    public void Validate()
    {
        if (PerItem < 1 || PerItem > 1000) throw new ConfigException($"--per-item {PerItem}: must be between 1 and 1000");
        Selection.Validate();
    }
}

/// <summary>What a run did.</summary>
public sealed record SynthesisSummary(string OutputPath, int Items, int Texts, int EmptyTagSets, IReadOnlyList<string> UnknownTags, double MeanKeptTags);

/// <summary>
/// Writes <c>&lt;store&gt;/texts/&lt;approach&gt;.jsonl</c>: one line per store item, <c>{"id": "...", "texts": ["...", ...]}</c>,
/// from the item's per-segment tags pooled over the item (the item is the clip or track). The file appears whole or
/// not at all. An item with no tag kept gets <c>"texts": []</c> (training then uses the empty text).
/// </summary>
public static class TextSynthesis
{
    static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string OutputPath(string storeRoot, string approach) => Path.Combine(storeRoot, "texts", approach + ".jsonl");

    public static SynthesisSummary Run(FeatureStore store, ITextSynthesizer synthesizer, SynthesisOptions? options = null,
        Action<string>? warn = null, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var o = options ?? new SynthesisOptions();
        o.Validate();
        var reader = new TagReader(store.Info.TagNames, o.Selection);
        if (reader.UnknownTags.Count > 0)
            warn?.Invoke($"{reader.UnknownTags.Count} of the store's {store.Info.TagNames.Count} tag names are not in the tag vocabulary and are ignored (first: '{reader.UnknownTags[0]}')");
        string path = OutputPath(store.Root, synthesizer.Name);
        int items = 0, texts = 0, empty = 0;
        long keptTotal = 0;
        AtomicFile.Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            foreach (var item in store.ReadAll())
            {
                ct.ThrowIfCancellationRequested();
                var tags = reader.Read(item.Tags, item.Id);
                keptTotal += tags.Count;
                var list = new List<string>();
                if (tags.IsEmpty) empty++;
                else
                {
                    var rng = new Random(ItemSeed(o.Seed, item.Id));
                    for (int k = 0; k < o.PerItem; k++) list.Add(synthesizer.Describe(tags, rng));
                }
                w.WriteLine(JsonSerializer.Serialize(new Line(item.Id, list), Json));
                items++;
                texts += list.Count;
                progress?.Report(items);
            }
        });
        if (items == 0) warn?.Invoke($"{store.Root}: the store holds no items; wrote an empty {Path.GetFileName(path)}");
        if (empty > 0)
            warn?.Invoke($"{empty} of {items} items kept no tag at threshold {o.Selection.Threshold} and were written with no text");
        return new SynthesisSummary(path, items, texts, empty, reader.UnknownTags, items == 0 ? 0 : (double)keptTotal / items);
    }

    sealed record Line([property: System.Text.Json.Serialization.JsonPropertyName("id")] string Id,
                       [property: System.Text.Json.Serialization.JsonPropertyName("texts")] IReadOnlyList<string> Texts);

    /// <summary>A seed per item that depends on the run seed and the id only, not on the order items are read.</summary>
    public static int ItemSeed(int seed, string id)
    {
        uint h = 2166136261u ^ (uint)seed;
        foreach (byte b in Encoding.UTF8.GetBytes(id)) { h ^= b; h *= 16777619u; }
        return (int)(h & 0x7fffffff);
    }

    /// <summary>Reads a texts file back: id -> texts (for training and tests).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: texts file not found (make it with `viml synth-text`)");
        var d = new Dictionary<string, IReadOnlyList<string>>();
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            n++;
            if (line.Trim().Length == 0) continue;
            Line? l;
            try { l = JsonSerializer.Deserialize<Line>(line); }
            catch (JsonException e) { throw new InvalidInputException($"{path}:{n}: not a JSON line ({e.Message})", e); }
            if (l?.Id is null || l.Texts is null) throw new InvalidInputException($"{path}:{n}: needs \"id\" and \"texts\"");
            d[l.Id] = l.Texts;
        }
        return d;
    }
}
