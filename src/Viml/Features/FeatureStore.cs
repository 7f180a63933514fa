using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Viml.IO;

namespace Viml.Features;

/// <summary>What produced a store's features; written once as <c>store.json</c>.</summary>
public sealed record StoreInfo(
    string VideoEncoder, int VideoDimension,
    string MusicEncoder, int MusicDimension,
    IReadOnlyList<string> TagNames,
    double SegmentSeconds = FeatureSpec.PaperSegmentSeconds, double Fps = FeatureSpec.PaperFps,
    string Format = "viml-features/1")
{
    /// <summary>The music encoder's sample rate; absent from stores made before it was recorded (the paper's 16 kHz).</summary>
    public int? SampleRate { get; init; }

    /// <summary>The store's feature contract (no text encoder: training picks one).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FeatureSpec Spec => new(VideoEncoder, MusicEncoder, null, Fps, SegmentSeconds, SampleRate ?? FeatureSpec.Paper.SampleRate);

    /// <summary>Throws, naming both values, when <paramref name="wanted"/> describes other features than this store holds.</summary>
    public void RefuseOther(StoreInfo wanted, string root)
    {
        Spec.RefuseMismatch(wanted.Spec, $"the feature store {root}", "this extraction", "use a new folder");
        if (VideoDimension != wanted.VideoDimension || MusicDimension != wanted.MusicDimension || !TagNames.SequenceEqual(wanted.TagNames))
            throw new InvalidInputException($"{root}: this feature store holds {VideoDimension}-d video, {MusicDimension}-d music " +
                $"and {TagNames.Count} tags, this extraction makes {wanted.VideoDimension}-d, {wanted.MusicDimension}-d and " +
                $"{wanted.TagNames.Count}; use a new folder");
    }
}

/// <summary>
/// Features of one item (a music video, or a video with its own audio, or a clip of either, or audio alone):
/// one row per 10-s segment for video and music, tag confidences per segment, and where it came from.
/// </summary>
public sealed record FeatureItem(
    string Id,
    float[][] Video,
    float[][] Music,
    float[][] Tags,
    double[] SegmentStarts,
    IReadOnlyDictionary<string, string> Source)
{
    public int Segments => Video.Length;

    /// <summary>The source field that marks an audio-only item (<see cref="NoVideo"/>); its video rows are zeros.</summary>
    public const string VideoStreamKey = "video_stream";
    public const string NoVideo = "none";

    /// <summary>False for an audio-only item: music and texts only, for MT and catalogs' texts, not for video models.</summary>
    public bool HasVideo => !(Source.TryGetValue(VideoStreamKey, out var v) && v == NoVideo);
}

/// <summary>
/// The on-disk feature store: a folder with <c>store.json</c> and one safetensors file per item in
/// <c>items/</c> (tensors <c>video</c> [S, Dv], <c>music</c> [S, Dm], <c>tags</c> [S, T], <c>segment_starts</c> [S];
/// metadata: <c>id</c> and the source fields). Each item file is written atomically, so an interrupted
/// extraction leaves only whole items and resumes by skipping them.
/// Python: <c>safetensors.numpy.load_file("items/x.safetensors")</c>; ids in the file metadata.
/// </summary>
public sealed class FeatureStore
{
    public string Root { get; }
    public StoreInfo Info { get; }
    string ItemsDir => Path.Combine(Root, "items");

    FeatureStore(string root, StoreInfo info) { Root = root; Info = info; }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Opens a store, creating it with <paramref name="info"/> if absent; an existing store must match it.</summary>
    public static FeatureStore OpenOrCreate(string root, StoreInfo info)
    {
        string infoPath = Path.Combine(root, "store.json");
        if (File.Exists(infoPath))
        {
            var store = Open(root);
            store.Info.RefuseOther(info, root);
            AtomicFile.RemoveOrphans(root, recursive: true);   // item files a killed extraction was writing
            return store;
        }
        AtomicFile.WriteAllText(infoPath, JsonSerializer.Serialize(info, Json));
        Directory.CreateDirectory(Path.Combine(root, "items"));
        return new FeatureStore(root, info);
    }

    public static FeatureStore Open(string root)
    {
        string infoPath = Path.Combine(root, "store.json");
        if (!File.Exists(infoPath)) throw new InvalidInputException($"{root}: not a feature store (no store.json)");
        StoreInfo? info;
        try { info = JsonSerializer.Deserialize<StoreInfo>(File.ReadAllText(infoPath), Json); }
        catch (JsonException e) { throw new InvalidInputException($"{infoPath}: malformed ({e.Message})", e); }
        if (info is null || info.Format != "viml-features/1") throw new InvalidInputException($"{infoPath}: unknown format");
        return new FeatureStore(root, info);
    }

    /// <summary>File name for an id: readable when the id is, a hash suffix keeps distinct ids distinct.</summary>
    public static string FileKey(string id)
    {
        var safe = new StringBuilder();
        foreach (char c in id.Length > 60 ? id[..60] : id) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..12];
        return $"{safe}-{hash}";
    }

    string PathOf(string id) => Path.Combine(ItemsDir, FileKey(id) + ".safetensors");

    public bool Contains(string id) => File.Exists(PathOf(id));

    public void Write(FeatureItem item)
    {
        if (item.Video.Length != item.Music.Length || item.Video.Length != item.SegmentStarts.Length || item.Tags.Length != item.Video.Length)
            throw new ArgumentException($"{item.Id}: video, music, tags and segment starts must have one row per segment");
        string where = item.Source.TryGetValue("audio", out var file) || item.Source.TryGetValue("video", out file) ? $"{item.Id} ({file})" : item.Id;
        string Segment(int i) => $"segment {i} (from {item.SegmentStarts[i]:0.##} s)";
        NonFiniteValues.RefuseRows(item.Video, where, i => $"{Segment(i)} video features");
        NonFiniteValues.RefuseRows(item.Music, where, i => $"{Segment(i)} music features");
        NonFiniteValues.RefuseRows(item.Tags, where, i => $"{Segment(i)} tag confidences");
        var meta = new Dictionary<string, string>(item.Source) { ["id"] = item.Id };
        SafeTensors.Save(PathOf(item.Id), new[]
        {
            NamedTensor.FromRows("video", item.Video, Info.VideoDimension),
            NamedTensor.FromRows("music", item.Music, Info.MusicDimension),
            NamedTensor.FromRows("tags", item.Tags, Info.TagNames.Count),
            new NamedTensor("segment_starts", new long[] { item.SegmentStarts.Length }, item.SegmentStarts.Select(s => (float)s).ToArray()),
        }, meta);
    }

    public FeatureItem Read(string id) => ReadFile(PathOf(id));

    static FeatureItem ReadFile(string path)
    {
        var (t, meta) = SafeTensors.Load(path);
        if (!meta.TryGetValue("id", out var id) || !t.TryGetValue("video", out var video) || !t.TryGetValue("music", out var music)
            || !t.TryGetValue("tags", out var tags) || !t.TryGetValue("segment_starts", out var starts))
            throw new InvalidInputException($"{path}: not a Viml feature item (missing id, video, music, tags or segment_starts)");
        var source = meta.Where(kv => kv.Key != "id").ToDictionary(kv => kv.Key, kv => kv.Value);
        return new FeatureItem(id, video.ToRows(), music.ToRows(), tags.ToRows(), starts.Data.Select(x => (double)x).ToArray(), source);
    }

    /// <summary>Every item in the store, in file-name order (stable across runs).</summary>
    public IEnumerable<FeatureItem> ReadAll()
    {
        if (!Directory.Exists(ItemsDir)) yield break;
        foreach (var f in Directory.EnumerateFiles(ItemsDir, "*.safetensors").Order(StringComparer.Ordinal))
            yield return ReadFile(f);
    }

    public int Count => Directory.Exists(ItemsDir) ? Directory.EnumerateFiles(ItemsDir, "*.safetensors").Count() : 0;
}
