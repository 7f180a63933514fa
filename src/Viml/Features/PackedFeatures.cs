using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Viml.IO;

namespace Viml.Features;

/// <summary>
/// A feature store's segment features packed into one file, <c>&lt;store&gt;/packed.safetensors</c>, read through a
/// memory map so that training streams items from disk instead of loading the store into memory:
/// <code>
///   offsets [N + 1] I64    item i's segments are rows offsets[i] .. offsets[i+1] - 1
///   video   [T, Dv] F32    every item's video segment rows, in item order
///   music   [T, Dm] F32
///   __metadata__: format "viml-packed/1", fingerprint, ids, splits (JSON arrays, one entry per item), no_video (item indices)
/// </code>
/// The item files stay the store's truth: the pack records a fingerprint of them (names, sizes, times) and
/// <see cref="For"/> rebuilds it when they change. Built in one pass over the items (one in memory at a time),
/// written to temporary files and renamed. Python: <c>safetensors.numpy.load_file("packed.safetensors")</c>.
/// </summary>
public sealed class PackedFeatures : IDisposable
{
    public const string FileName = "packed.safetensors";
    const string Format = "viml-packed/1";

    readonly MemoryMappedFile map;
    readonly MemoryMappedViewAccessor view;
    readonly long[] offsets;
    readonly long videoStart, musicStart;
    readonly HashSet<int> noVideo;

    public string Path { get; }
    public IReadOnlyList<string> Ids { get; }
    /// <summary>Each item's <c>split</c> source field ("" when the store does not name one).</summary>
    public IReadOnlyList<string> Splits { get; }
    public int VideoDimension { get; }
    public int MusicDimension { get; }
    public int Count => Ids.Count;
    public long Segments => offsets[^1];

    PackedFeatures(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, JsonObject header, long dataStart)
    {
        Path = path; this.map = map; this.view = view;
        var meta = header["__metadata__"]!.AsObject();
        if (meta["format"]?.GetValue<string>() != Format) throw new InvalidInputException($"{path}: not a Viml packed store ({Format})");
        Ids = JsonSerializer.Deserialize<string[]>(meta["ids"]!.GetValue<string>())!;
        Splits = JsonSerializer.Deserialize<string[]>(meta["splits"]!.GetValue<string>())!;
        noVideo = JsonSerializer.Deserialize<int[]>(meta["no_video"]!.GetValue<string>())!.ToHashSet();
        long Begin(string name) => dataStart + header[name]!["data_offsets"]![0]!.GetValue<long>();
        int Columns(string name) => (int)header[name]!["shape"]![1]!.GetValue<long>();
        offsets = new long[Ids.Count + 1];
        view.ReadArray(Begin("offsets"), offsets, 0, offsets.Length);
        (videoStart, musicStart) = (Begin("video"), Begin("music"));
        (VideoDimension, MusicDimension) = (Columns("video"), Columns("music"));
        if (Splits.Count != Ids.Count || offsets[0] != 0 || offsets.Zip(offsets.Skip(1)).Any(p => p.Second < p.First)
            || musicStart + 4L * offsets[^1] * MusicDimension > view.Capacity)
            throw new InvalidInputException($"{path}: inconsistent packed store (offsets, ids or sizes); delete it to rebuild");
    }

    /// <summary>False for an audio-only item.</summary>
    public bool HasVideo(int item) => !noVideo.Contains(item);
    public int SegmentsOf(int item) => (int)(offsets[item + 1] - offsets[item]);
    public float[][] Video(int item) => Rows(videoStart, item, VideoDimension);
    public float[][] Music(int item) => Rows(musicStart, item, MusicDimension);

    float[][] Rows(long start, int item, int columns)
    {
        var rows = new float[SegmentsOf(item)][];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r] = new float[columns];
            view.ReadArray(start + 4L * (offsets[item] + r) * columns, rows[r], 0, columns);
        }
        return rows;
    }

    /// <summary>The store's pack, built (or rebuilt, when the item files changed) first.</summary>
    public static PackedFeatures For(FeatureStore store, IProgress<int>? built = null)
    {
        string path = System.IO.Path.Combine(store.Root, FileName);
        string fingerprint = Fingerprint(store);
        if (File.Exists(path))
        {
            var packed = Open(path);
            if (packed.fingerprint == fingerprint) return packed;
            packed.Dispose();
        }
        Build(store, path, fingerprint, built);
        return Open(path);
    }

    string fingerprint = "";

    public static PackedFeatures Open(string path)
    {
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        try
        {
            if (view.Capacity < 8) throw new InvalidInputException($"{path}: not a safetensors file");
            ulong hlen = view.ReadUInt64(0);
            if (hlen > (ulong)view.Capacity - 8 || hlen > int.MaxValue) throw new InvalidInputException($"{path}: header length {hlen} exceeds the file");
            var bytes = new byte[hlen];
            view.ReadArray(8, bytes, 0, bytes.Length);
            var header = JsonNode.Parse(bytes)!.AsObject();
            return new PackedFeatures(path, map, view, header, 8 + (long)hlen)
            {
                fingerprint = header["__metadata__"]?["fingerprint"]?.GetValue<string>() ?? "",
            };
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            view.Dispose(); map.Dispose();
            throw new InvalidInputException($"{path}: malformed packed store ({e.Message}); delete it to rebuild", e);
        }
        catch { view.Dispose(); map.Dispose(); throw; }
    }

    /// <summary>SHA-256 over the item files' names, sizes and write times.</summary>
    static string Fingerprint(FeatureStore store)
    {
        var sb = new StringBuilder();
        string items = System.IO.Path.Combine(store.Root, "items");
        if (Directory.Exists(items))
            foreach (var f in new DirectoryInfo(items).EnumerateFiles("*.safetensors").OrderBy(f => f.Name, StringComparer.Ordinal))
                sb.Append(f.Name).Append(' ').Append(f.Length).Append(' ').Append(f.LastWriteTimeUtc.Ticks).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    static void Build(FeatureStore store, string path, string fingerprint, IProgress<int>? built)
    {
        var ids = new List<string>();
        var splits = new List<string>();
        var noVideo = new List<int>();
        var offsets = new List<long> { 0 };
        string videoTmp = path + ".video.tmp", musicTmp = path + ".music.tmp";
        try
        {
            using (var video = new FileStream(videoTmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            using (var music = new FileStream(musicTmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                foreach (var item in store.ReadAll())
                {
                    if (!item.HasVideo) noVideo.Add(ids.Count);
                    ids.Add(item.Id);
                    splits.Add(item.Source.GetValueOrDefault("split", ""));
                    foreach (var row in item.Video) video.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()));
                    foreach (var row in item.Music) music.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()));
                    offsets.Add(offsets[^1] + item.Segments);
                    built?.Report(ids.Count);
                }
            long t = offsets[^1], dv = store.Info.VideoDimension, dm = store.Info.MusicDimension;
            long o = 8L * offsets.Count, v = 4 * t * dv, m = 4 * t * dm;
            var header = new JsonObject
            {
                ["__metadata__"] = new JsonObject
                {
                    ["format"] = Format, ["fingerprint"] = fingerprint, ["ids"] = JsonSerializer.Serialize(ids),
                    ["splits"] = JsonSerializer.Serialize(splits), ["no_video"] = JsonSerializer.Serialize(noVideo),
                },
                ["offsets"] = Entry("I64", offsets.Count, null, 0, o),
                ["video"] = Entry("F32", t, dv, o, o + v),
                ["music"] = Entry("F32", t, dm, o + v, o + v + m),
            };
            AtomicFile.Write(path, stream =>
            {
                SafeTensors.WriteHeader(stream, header);
                Span<byte> word = stackalloc byte[8];
                foreach (long x in offsets) { BinaryPrimitives.WriteInt64LittleEndian(word, x); stream.Write(word); }
                using (var video = File.OpenRead(videoTmp)) video.CopyTo(stream);
                using (var music = File.OpenRead(musicTmp)) music.CopyTo(stream);
            });
        }
        finally { File.Delete(videoTmp); File.Delete(musicTmp); }
    }

    static JsonObject Entry(string dtype, long rows, long? columns, long begin, long end) => new()
    {
        ["dtype"] = dtype,
        ["shape"] = columns is long c ? new JsonArray(rows, c) : new JsonArray(rows),
        ["data_offsets"] = new JsonArray(begin, end),
    };

    public void Dispose() { view.Dispose(); map.Dispose(); }
}
