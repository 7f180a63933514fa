using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Viml.Encoders;
using Viml.Features;
using Viml.IO;
using Viml.Model;

namespace Viml.Training;

/// <summary>
/// One (video, music, texts) item: segment base features and the base features of its texts.
/// <paramref name="HasVideo"/> is false for an audio-only item (zero video rows), which only MT trains on.
/// </summary>
public sealed record TrainingItem(string Id, float[][] Video, float[][] Music, float[][] Texts, bool HasVideo = true);

/// <summary>Items split into train / validation / test, with the empty-string text base feature.</summary>
public sealed record TrainingData(
    IReadOnlyList<TrainingItem> Train, IReadOnlyList<TrainingItem> Validation, IReadOnlyList<TrainingItem> Test,
    int VideoDimension, int MusicDimension, int TextDimension, float[] EmptyText)
{
    /// <summary>The features' contract (<see cref="FeatureSpec.ToMetadata"/>: encoders, fps, segment length, sample rate),
    /// recorded in checkpoints.</summary>
    public IReadOnlyDictionary<string, string> Encoders { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The split of an item: the store's <c>split</c> source field when present (train / val / test),
    /// otherwise a hash of the id, so an item keeps its split however the store grows.
    /// </summary>
    public static string SplitOf(string id, IReadOnlyDictionary<string, string> source, double validation, double test)
    {
        if (source.TryGetValue("split", out var s) && s is "train" or "val" or "test") return s;
        double u = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(id)), 0) / (double)uint.MaxValue;
        return u < validation ? "val" : u < validation + test ? "test" : "train";
    }

    /// <summary>Audio-only items in all splits (music and texts, no video).</summary>
    public int AudioOnly => new[] { Train, Validation, Test }.Sum(l => l is StreamedItems s ? s.AudioOnly : l.Count(i => !i.HasVideo));

    /// <summary>The data without audio-only items, for models whose query is a video.</summary>
    public TrainingData WithVideoOnly() => this with
    {
        Train = VideoOnly(Train),
        Validation = VideoOnly(Validation),
        Test = VideoOnly(Test),
    };

    static IReadOnlyList<TrainingItem> VideoOnly(IReadOnlyList<TrainingItem> items) =>
        items is StreamedItems s ? s.WithVideo() : items.Where(i => i.HasVideo).ToList();

    public static TrainingData Split(IEnumerable<(TrainingItem Item, IReadOnlyDictionary<string, string> Source)> items,
        double validation, double test, int dv, int dm, int dt, float[] emptyText)
    {
        var groups = items.GroupBy(x => SplitOf(x.Item.Id, x.Source, validation, test))
                          .ToDictionary(g => g.Key, g => (IReadOnlyList<TrainingItem>)g.Select(x => x.Item).ToList());
        IReadOnlyList<TrainingItem> Get(string k) => groups.TryGetValue(k, out var v) ? v : Array.Empty<TrainingItem>();
        return new TrainingData(Get("train"), Get("val"), Get("test"), dv, dm, dt, emptyText);
    }

    /// <summary>
    /// Reads a feature store and its texts <c>&lt;store&gt;/texts/&lt;approach&gt;.jsonl</c>, embedding the
    /// texts with <paramref name="textEncoder"/> (cached in the store, see <see cref="TextEmbeddingCache"/>).
    /// </summary>
    public static TrainingData FromStore(string storeDir, string approach, ITextEncoder textEncoder, double validation, double test)
    {
        var store = FeatureStore.Open(storeDir);
        var texts = TextEmbeddingCache.Load(store.Root, approach, textEncoder);
        var items = store.ReadAll().Select(f => (new TrainingItem(f.Id, f.Video, f.Music,
            texts.ByItem.TryGetValue(f.Id, out var t) ? t : Array.Empty<float[]>(), f.HasVideo), f.Source)).ToList();
        if (items.Count == 0) throw new InvalidInputException($"{storeDir}: the feature store has no items");
        return Split(items, validation, test, store.Info.VideoDimension, store.Info.MusicDimension, textEncoder.Dimension, texts.Empty) with
        {
            Encoders = (store.Info.Spec with { TextEncoder = textEncoder.Name }).ToMetadata(),
        };
    }
}

/// <summary>
/// Training data streamed from a feature store's pack (<see cref="PackedFeatures"/>, built or refreshed first):
/// the same items, splits and texts as <see cref="TrainingData.FromStore"/>, but each item's segment features are read
/// from the memory map when a batch needs them. The caller disposes the returned pack after training.
/// </summary>
public static class StreamedTrainingData
{
    public static (TrainingData Data, PackedFeatures Packed) FromStore(string storeDir, string approach, ITextEncoder textEncoder,
        double validation, double test, IProgress<int>? packing = null)
    {
        var store = FeatureStore.Open(storeDir);
        var texts = TextEmbeddingCache.Load(store.Root, approach, textEncoder);
        var packed = PackedFeatures.For(store, packing);
        if (packed.Count == 0) { packed.Dispose(); throw new InvalidInputException($"{storeDir}: the feature store has no items"); }
        var bySplit = Enumerable.Range(0, packed.Count).GroupBy(i => TrainingData.SplitOf(packed.Ids[i],
                packed.Splits[i].Length > 0 ? new Dictionary<string, string> { ["split"] = packed.Splits[i] } : new Dictionary<string, string>(),
                validation, test))
            .ToDictionary(g => g.Key, g => g.ToList());
        IReadOnlyList<TrainingItem> Get(string k) => new StreamedItems(packed, bySplit.GetValueOrDefault(k) ?? new List<int>(), texts.ByItem);
        var data = new TrainingData(Get("train"), Get("val"), Get("test"), store.Info.VideoDimension, store.Info.MusicDimension,
            textEncoder.Dimension, texts.Empty)
        {
            Encoders = new Dictionary<string, string>
            {
                [EncoderNames.Video] = store.Info.VideoEncoder, [EncoderNames.Music] = store.Info.MusicEncoder, [EncoderNames.Text] = textEncoder.Name,
            },
        };
        return (data, packed);
    }
}

/// <summary>
/// Text base features of <c>&lt;store&gt;/texts/&lt;approach&gt;.jsonl</c>, cached beside it as
/// <c>&lt;approach&gt;.&lt;encoder&gt;.safetensors</c> (tensor <c>embeddings</c> [texts, D] in file order,
/// <c>empty</c> [1, D]; metadata: item ids, text counts and the JSONL's SHA-256). The cache is
/// rebuilt when the JSONL changes.
/// </summary>
public static class TextEmbeddingCache
{
    public sealed record Result(Dictionary<string, float[][]> ByItem, float[] Empty);

    sealed record Line(string? Id, List<string>? Texts);

    public static Result Load(string storeDir, string approach, ITextEncoder encoder)
    {
        string jsonl = Path.Combine(storeDir, "texts", approach + ".jsonl");
        if (!File.Exists(jsonl)) throw new InvalidInputException($"{jsonl}: no texts for approach '{approach}' (run `viml synth-text --store {storeDir} --approach {approach}`)");
        byte[] raw = File.ReadAllBytes(jsonl);
        string sha = Convert.ToHexStringLower(SHA256.HashData(raw));
        var lines = Parse(Encoding.UTF8.GetString(raw), jsonl);
        string safeName = new(encoder.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        string cache = Path.Combine(storeDir, "texts", $"{approach}.{safeName}.safetensors");

        if (File.Exists(cache))
        {
            try
            {
                var (t, meta) = SafeTensors.Load(cache);
                if (meta.GetValueOrDefault("jsonl_sha256") == sha && t.TryGetValue("embeddings", out var e) && t.TryGetValue("empty", out var empty)
                    && e.Columns == encoder.Dimension && e.Rows == lines.Sum(l => l.Texts.Count))
                    return Assemble(lines, e.ToRows(), empty.Data);
            }
            catch (InvalidInputException) { /* a damaged cache is rebuilt below */ }
        }
        var all = lines.SelectMany(l => l.Texts).ToList();
        var embeddings = new List<float[]>(all.Count);
        for (int i = 0; i < all.Count; i += 256) embeddings.AddRange(encoder.Embed(all.GetRange(i, Math.Min(256, all.Count - i))));
        float[] emptyText = encoder.Embed(new[] { "" })[0];
        SafeTensors.Save(cache, new[]
        {
            NamedTensor.FromRows("embeddings", embeddings, encoder.Dimension),
            new NamedTensor("empty", new long[] { 1, encoder.Dimension }, emptyText),
        }, new Dictionary<string, string> { ["jsonl_sha256"] = sha, ["encoder"] = encoder.Name, ["ids"] = JsonSerializer.Serialize(lines.Select(l => l.Id)) });
        return Assemble(lines, embeddings, emptyText);
    }

    static Result Assemble(List<(string Id, List<string> Texts)> lines, IReadOnlyList<float[]> embeddings, float[] empty)
    {
        var byItem = new Dictionary<string, float[][]>();
        int k = 0;
        foreach (var (id, texts) in lines) { byItem[id] = Enumerable.Range(k, texts.Count).Select(i => embeddings[i]).ToArray(); k += texts.Count; }
        return new Result(byItem, empty);
    }

    static List<(string Id, List<string> Texts)> Parse(string content, string path)
    {
        var result = new List<(string, List<string>)>();
        var seen = new HashSet<string>();
        int n = 0;
        foreach (var line in content.Split('\n'))
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            Line? l;
            try { l = JsonSerializer.Deserialize<Line>(line, new JsonSerializerOptions { PropertyNameCaseInsensitive = true }); }
            catch (JsonException e) { throw new InvalidInputException($"{path}:{n}: not a JSON object ({e.Message})", e); }
            if (l?.Id is null || l.Texts is null) throw new InvalidInputException($"{path}:{n}: expected {{\"id\": ..., \"texts\": [...]}}");
            if (!seen.Add(l.Id)) throw new InvalidInputException($"{path}:{n}: id '{l.Id}' appears twice");
            result.Add((l.Id, l.Texts));
        }
        return result;
    }
}
