using System.Buffers.Binary;
using System.Text;
using Viml.Tests.Catalog;
using static Viml.Tests.Hostile.HostileWorld;

namespace Viml.Tests.Hostile;

/// <summary>What a case runs and what the error must show: <paramref name="Mentions"/> (the input's name and the
/// problem, each must appear in the output); <paramref name="MustNotExist"/> (outputs that must not be left behind);
/// <paramref name="Unchanged"/> (a folder whose files must be exactly as before the run); <paramref name="Absent"/> (text
/// the output must not hold); <paramref name="After"/> (a check of what the run left: null when right, else the problem).</summary>
public sealed record Prepared(string[] Args, string[] Mentions, string[]? MustNotExist = null, string? Unchanged = null,
    string[]? Absent = null, Func<string?>? After = null);

/// <summary>One hostile input: where it goes (<paramref name="Area"/>), what it is, the exit code it must give.</summary>
public sealed record HostileCase(string Name, string Area, string Input, string Problem, int Exit, Func<string, Prepared> Arrange, bool NeedsMount = false)
{
    public override string ToString() => Name;
}

/// <summary>Exit codes of the CLI (docs/hostile-input.md).</summary>
static class Exit
{
    public const int Done = 0, ItemsFailed = 1, InvalidInput = 2, Usage = 64, Internal = 70, CannotCreate = 73, IoError = 74, Busy = 75;
}

/// <summary>
/// The hostile inputs, generated per case in a fresh folder: media files, manifests, train configs,
/// checkpoints, catalog folders, output folders on a read-only or full file system, odd paths.
/// </summary>
static class HostileCorpus
{
    static readonly Random Bytes = new(20261125);

    static byte[] RandomBytes(int n) { var b = new byte[n]; lock (Bytes) Bytes.NextBytes(b); return b; }

    static string Write(string dir, string name, byte[] bytes) { string p = Path.Combine(dir, name); Directory.CreateDirectory(Path.GetDirectoryName(p)!); File.WriteAllBytes(p, bytes); return p; }
    static string Write(string dir, string name, string text) => Write(dir, name, Encoding.UTF8.GetBytes(text));

    /// <summary>A WAV header (PCM) with the given declared fields, followed by <paramref name="payload"/> bytes of samples.</summary>
    static byte[] Wav(int channels, int sampleRate, uint dataLength, int payload)
    {
        var b = new byte[44 + payload];
        Encoding.ASCII.GetBytes("RIFF").CopyTo(b, 0); BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), uint.MaxValue);
        Encoding.ASCII.GetBytes("WAVEfmt ").CopyTo(b, 8); BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(20), 1); BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(22), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), (uint)((long)sampleRate * channels * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(32), (ushort)(channels * 2)); BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(34), 16);
        Encoding.ASCII.GetBytes("data").CopyTo(b, 36); BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(40), dataLength);
        return b;
    }

    static string Truncated(string dir, string name, string source, double keep)
    {
        var all = File.ReadAllBytes(source);
        return Write(dir, name, all[..(int)(all.Length * keep)]);
    }

    /// <summary>A copy of the good checkpoint that a case may damage.</summary>
    static string CopyCheckpoint(string dir)
    {
        string to = Path.Combine(dir, "ckpt");
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(Checkpoint)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        return to;
    }

    static string CkptWeights(string ckpt) => Path.Combine(ckpt, "model.safetensors");
    static string CkptConfig(string ckpt) => Path.Combine(ckpt, "config.json");

    static Prepared Tags(string file, params string[] mentions) => new(["tags", file], mentions);
    static Prepared Recommend(string ckpt, params string[] mentions) => new(["recommend", "--text", "calm piano", "--catalog", HostileWorld.Catalog, "--model", ckpt], mentions);
    static Prepared Train(string config, string? output, params string[] mentions) =>
        new(["train", "--config", config], mentions, MustNotExist: output is null ? null : [Path.Combine(output, ".last.new"), Path.Combine(output, "last")]);
    /// <summary>A train config whose <paramref name="field"/> (top level, or in "model" when it starts "model.") is <paramref name="value"/>.</summary>
    static Prepared TrainWith(string dir, string field, string value, params string[] mentions)
    {
        string o = Path.Combine(dir, "run");
        string json = TrainConfigJson(Store, o);
        json = field.StartsWith("model.") ? json.Replace("\"model\": {", $"\"model\": {{\"{field[6..]}\": {value}, ")
            : json.Contains($"\"{field}\":") ? System.Text.RegularExpressions.Regex.Replace(json, $"\"{field}\": [^,}}]+", $"\"{field}\": {value}")
            : json.Replace("{\"store\":", $"{{\"{field}\": {value}, \"store\":");
        return Train(Write(dir, "c.json", json), o, ["c.json", .. mentions]) with
            { MustNotExist = [Path.Combine(o, ".last.new"), Path.Combine(o, "last"), Path.Combine(o, "best")] };
    }
    static Prepared RecommendWith(params string[] extra) =>
        new(["recommend", "--text", "calm piano", "--catalog", HostileWorld.Catalog, "--model", Checkpoint, .. extra], [extra[0]]);

    /// <summary>A catalog at <c>dir/cat</c> of the given files, made through the library with the small test parts;
    /// <paramref name="root"/>, when given, is recorded as a folder added (what `catalog sync` rescans).</summary>
    static string CatalogOf(string dir, string? root, params string[] files)
    {
        var parts = TestParts.Create();
        var cat = Viml.Catalog.MusicCatalog.OpenOrCreate(Path.Combine(dir, "cat"), Viml.Catalog.CatalogIngest.InfoFor(parts));
        if (root != null) cat.AddRoot(Path.GetFullPath(root));
        var report = new Viml.Catalog.CatalogIngest(cat, parts).Add(files);
        if (report.Count(Viml.Catalog.IngestOutcome.Added) != files.Length) throw new InvalidOperationException("test catalog: " + string.Join("; ", report.Events.Select(e => e.Problem)));
        return cat.Root;
    }

    static Func<string?> TrackCountIs(string catalog, int n) => () =>
        Viml.Catalog.MusicCatalog.Open(catalog).CountTracks() is var c && c == n ? null : $"{catalog} holds {c} tracks, not {n}";

    /// <summary>Locks held by this test process for the cases that need a busy catalog (released when it exits).</summary>
    static readonly List<IDisposable> HeldLocks = new();

    public static readonly HostileCase[] Cases =
    [
        // ---- media (viml tags: probe, decode) --------------------------------------------------
        new("media-empty", "media", "0-byte .wav", "empty file", Exit.InvalidInput, d => Tags(Write(d, "empty.wav", []), "empty.wav", "empty file")),
        new("media-truncated-mp4", "media", "MP4 cut at 40% (index lost)", "truncated or corrupt", Exit.InvalidInput,
            d => Tags(Truncated(d, "cut.mp4", Video, 0.4), "cut.mp4", "truncated or corrupt")),
        new("media-random-bytes", "media", "64 KiB of random bytes named .mp3", "truncated or corrupt", Exit.InvalidInput,
            d => Tags(Write(d, "noise.mp3", RandomBytes(65536)), "noise.mp3", "corrupt")),
        new("media-text-as-wav", "media", "a text file named .wav (wrong extension)", "truncated or corrupt", Exit.InvalidInput,
            d => Tags(Write(d, "notes.wav", "these are not samples\n"), "notes.wav", "corrupt")),
        new("media-video-without-audio", "media", "an MP4 with no audio stream", "no audio stream", Exit.InvalidInput,
            d => { string p = Path.Combine(d, "silent film.mp4"); File.Copy(Video, p); return Tags(p, "silent film.mp4", "no audio"); }),
        new("media-too-short", "media", "a 0.3-s tone", "too short", Exit.InvalidInput,
            d => Tags(TestParts.Tone(Path.Combine(d, "blip.wav"), 880, 0.3), "blip.wav", "too short")),
        new("media-65535-channels", "media", "WAV header declaring 65535 channels", "truncated or corrupt (too many channels)", Exit.InvalidInput,
            d => Tags(Write(d, "channels.wav", Wav(65535, 44100, 0xFFFFFFF0, 4096)), "channels.wav", "channels")),
        new("media-huge-sample-rate", "media", "WAV header declaring 2^31-1 Hz", "too short (0 s at that rate)", Exit.InvalidInput,
            d => Tags(Write(d, "rate.wav", Wav(1, int.MaxValue, 0xFFFFFFF0, 4096)), "rate.wav", "too short")),
        new("media-huge-frame-size", "media", "Y4M header declaring 1000000x1000000 frames", "truncated or corrupt (picture size invalid)", Exit.InvalidInput,
            d => Tags(Write(d, "huge.y4m", Encoding.ASCII.GetBytes("YUV4MPEG2 W1000000 H1000000 F25:1 Ip A1:1 C420jpeg\nFRAME\n").Concat(new byte[4096]).ToArray()), "huge.y4m", "corrupt")),
        new("media-missing", "media", "a path that does not exist", "does not exist", Exit.InvalidInput,
            d => Tags(Path.Combine(d, "gone.wav"), "gone.wav", "does not exist")),
        new("media-folder", "media", "a folder given as the file", "is a folder", Exit.InvalidInput,
            d => Tags(Directory.CreateDirectory(Path.Combine(d, "album.wav")).FullName, "album.wav", "is a folder")),
        new("media-symlink-loop", "media", "a.wav -> b.wav -> a.wav", "too many levels of symbolic links", Exit.InvalidInput, d =>
        {
            File.CreateSymbolicLink(Path.Combine(d, "a.wav"), Path.Combine(d, "b.wav"));
            File.CreateSymbolicLink(Path.Combine(d, "b.wav"), Path.Combine(d, "a.wav"));
            return Tags(Path.Combine(d, "a.wav"), "a.wav", "symbolic links");
        }),
        new("media-name-too-long", "media", "a file name of 300 bytes", "name longer than 255 bytes", Exit.InvalidInput,
            d => Tags(Path.Combine(d, new string('n', 296) + ".wav"), "nnnnnnnn", "255 bytes")),
        new("media-deep-path", "media", "random bytes 3,800 characters deep (200 nested folders)", "truncated or corrupt, full path shown", Exit.InvalidInput, d =>
        {
            string deep = Path.Combine([d, .. Enumerable.Repeat("nested-folder-x", 200)]);
            Directory.CreateDirectory(deep);
            string p = Write(deep, "deep.mp3", RandomBytes(4096));
            return Tags(p, p, "corrupt");
        }),
        new("media-unicode-path", "media", "random bytes at 'ünï cødé 音楽/トラック ♫ \"q\".flac'", "truncated or corrupt, name shown intact", Exit.InvalidInput,
            d => Tags(Write(d, "ünï cødé 音楽/トラック ♫ \"q\".flac", RandomBytes(8192)), "トラック ♫ \"q\".flac", "corrupt")),
        new("media-fifo", "media", "a named pipe (no writer) named .wav", "not a regular file (would block forever)", Exit.InvalidInput, d =>
        {
            string p = Path.Combine(d, "pipe.wav");
            var (ok, err) = Sh("mkfifo", p);
            if (!ok) throw new InvalidOperationException(err);
            return Tags(p, "pipe.wav", "not a regular file");
        }),

        // ---- manifests (viml features) --------------------------------------------------------
        new("manifest-empty", "manifest", "0-byte manifest", "lists no items", Exit.InvalidInput,
            d => new(["features", Write(d, "m.jsonl", ""), "--out", Path.Combine(d, "store")], ["m.jsonl", "no items"], MustNotExist: [Path.Combine(d, "store")])),
        new("manifest-random-bytes", "manifest", "4 KiB of random bytes", "line 1: not a JSON object", Exit.InvalidInput,
            d => new(["features", Write(d, "m.jsonl", RandomBytes(4096)), "--out", Path.Combine(d, "store")], ["m.jsonl:", "not a JSON object"], MustNotExist: [Path.Combine(d, "store")])),
        new("manifest-duplicate-id", "manifest", "the same id on lines 1 and 2", "duplicate id", Exit.InvalidInput,
            d => new(["features", Write(d, "m.jsonl", $"{{\"id\":\"x\",\"video\":\"{Video}\"}}\n{{\"id\":\"x\",\"video\":\"{Video}\"}}\n"), "--out", Path.Combine(d, "store")],
                ["m.jsonl:2", "duplicate id"], MustNotExist: [Path.Combine(d, "store")])),
        new("manifest-negative-start", "manifest", "\"start\": -1e308", "start is negative", Exit.InvalidInput,
            d => new(["features", Write(d, "m.jsonl", $"{{\"id\":\"x\",\"video\":\"{Video}\",\"start\":-1e308}}\n"), "--out", Path.Combine(d, "store")],
                ["m.jsonl:1", "negative"], MustNotExist: [Path.Combine(d, "store")])),
        new("manifest-fifo", "manifest", "a named pipe given as the manifest", "not a regular file", Exit.InvalidInput, d =>
        {
            string p = Path.Combine(d, "m.jsonl");
            Sh("mkfifo", p);
            return new(["features", p, "--out", Path.Combine(d, "store")], ["m.jsonl", "not a regular file"], MustNotExist: [Path.Combine(d, "store")]);
        }),

        new("features-out-read-only", "manifest", "--out store on a read-only file system", "cannot create the output folder", Exit.CannotCreate, d =>
        {
            string ro = Path.Combine(d, "ro");
            MountTmpfs(ro, "64k", readOnly: true);
            return new(["features", Write(d, "m.jsonl", $"{{\"id\":\"a\",\"video\":\"{Viml.Tests.Media.MediaCorpus.MusicVideo}\"}}\n"), "--out", Path.Combine(ro, "store")], ["ro/store", "Read-only file system"]);
        }, NeedsMount: true),
        new("features-out-disk-full", "manifest", "--out store on a full 64-KiB tmpfs", "no space left (file named), temp files removed", Exit.IoError, d =>
        {
            string full = Path.Combine(d, "full");
            MountTmpfs(full, "64k");
            Fill(full, 1024);
            return new(["features", Write(d, "m.jsonl", $"{{\"id\":\"a\",\"video\":\"{Viml.Tests.Media.MediaCorpus.MusicVideo}\"}}\n"), "--out", Path.Combine(full, "store")], ["full/store", "No space left on device"]);
        }, NeedsMount: true),

        // ---- train configs (viml train --config) ---------------------------------------------
        new("config-missing", "config", "a config path that does not exist", "no such config file", Exit.InvalidInput,
            d => Train(Path.Combine(d, "none.json"), null, "none.json", "no such config file")),
        new("config-empty", "config", "0-byte config", "malformed", Exit.InvalidInput,
            d => Train(Write(d, "c.json", ""), null, "c.json", "malformed")),
        new("config-random-bytes", "config", "random bytes", "malformed", Exit.InvalidInput,
            d => Train(Write(d, "c.json", RandomBytes(2048)), null, "c.json", "malformed")),
        new("config-wrong-type", "config", "\"epochs\": \"many\"", "malformed, field named", Exit.InvalidInput,
            d => Train(Write(d, "c.json", """{"store": "s", "epochs": "many"}"""), null, "c.json", "epochs")),
        new("config-deep-nesting", "config", "JSON nested 10,000 arrays deep", "malformed (the field named)", Exit.InvalidInput,
            d => Train(Write(d, "c.json", "{\"store\": " + new string('[', 10000) + new string(']', 10000) + "}"), null, "c.json", "malformed")),
        new("config-huge-dimension", "config", "model dimension 2^30 (a 4-GiB-per-row model)", "dimension out of range", Exit.InvalidInput, d =>
        {
            string o = Path.Combine(d, "run");
            return Train(Write(d, "c.json", TrainConfigJson(Store, o, """{"dimension": 1073741824, "heads": 1, "layers": 1}""")), o, "c.json", "dimension");
        }),
        new("config-huge-feed-forward", "config", "feed_forward 2^31-1", "feed_forward out of range", Exit.InvalidInput, d =>
        {
            string o = Path.Combine(d, "run");
            return Train(Write(d, "c.json", TrainConfigJson(Store, o, """{"dimension": 16, "heads": 2, "feed_forward": 2147483647}""")), o, "c.json", "feed_forward");
        }),
        new("config-store-missing", "config", "\"store\" naming a missing folder", "not a feature store", Exit.InvalidInput, d =>
        {
            string o = Path.Combine(d, "run");
            return Train(Write(d, "c.json", TrainConfigJson(Path.Combine(d, "nostore"), o)), o, "nostore", "not a feature store");
        }),
        new("store-truncated-item", "config", "a feature store whose item file is cut in half", "truncated (item file named)", Exit.InvalidInput, d =>
        {
            string s = CopyStore(Path.Combine(d, "store"));
            string item = Directory.GetFiles(Path.Combine(s, "items")).Order().First();
            File.WriteAllBytes(item, File.ReadAllBytes(item)[..(int)(new FileInfo(item).Length / 2)]);
            string o = Path.Combine(d, "run");
            return Train(Write(d, "c.json", TrainConfigJson(s, o)), o, Path.GetFileName(item), "truncated");
        }),
        new("store-texts-garbage", "config", "texts/tags.jsonl of random bytes", "texts file line named", Exit.InvalidInput, d =>
        {
            string s = CopyStore(Path.Combine(d, "store"));
            File.WriteAllBytes(Path.Combine(s, "texts", "tags.jsonl"), RandomBytes(1000));
            string o = Path.Combine(d, "run");
            return Train(Write(d, "c.json", TrainConfigJson(s, o)), o, "tags.jsonl:1", "not a JSON object");
        }),
        new("train-output-read-only", "config", "output folder on a read-only file system", "cannot create/write (read-only)", Exit.CannotCreate, d =>
        {
            string ro = Path.Combine(d, "ro");
            MountTmpfs(ro, "64k", readOnly: true);
            string o = Path.Combine(ro, "run");
            return Train(Write(d, "c.json", TrainConfigJson(Store, o)), o, "ro/run", "Read-only file system");
        }, NeedsMount: true),
        new("train-output-disk-full", "config", "output folder on a full 64-KiB tmpfs", "no space left (file named), temp files removed", Exit.IoError, d =>
        {
            string full = Path.Combine(d, "full");
            MountTmpfs(full, "64k");
            Fill(full, 2048);
            string o = Path.Combine(full, "run");
            return Train(Write(d, "c.json", TrainConfigJson(Store, o)), o, "full/run", "No space left on device");
        }, NeedsMount: true),

        // ---- checkpoints (viml recommend --model) ---------------------------------------------
        new("checkpoint-no-weights", "checkpoint", "checkpoint folder without model.safetensors", "not a Viml checkpoint", Exit.InvalidInput, d =>
        {
            string c = CopyCheckpoint(d); File.Delete(CkptWeights(c));
            return Recommend(c, "ckpt", "no model.safetensors");
        }),
        new("checkpoint-truncated", "checkpoint", "model.safetensors cut at 60%", "truncated", Exit.InvalidInput, d =>
        {
            string c = CopyCheckpoint(d); var w = File.ReadAllBytes(CkptWeights(c)); File.WriteAllBytes(CkptWeights(c), w[..(int)(w.Length * 0.6)]);
            return Recommend(c, "model.safetensors", "truncated");
        }),
        new("checkpoint-random-bytes", "checkpoint", "model.safetensors of random bytes", "not a safetensors file", Exit.InvalidInput, d =>
        {
            string c = CopyCheckpoint(d); File.WriteAllBytes(CkptWeights(c), RandomBytes(100_000));
            return Recommend(c, "model.safetensors", "not a safetensors file");
        }),
        new("checkpoint-huge-header", "checkpoint", "safetensors header length 2^63", "header length exceeds the file", Exit.InvalidInput, d =>
        {
            string c = CopyCheckpoint(d); var w = File.ReadAllBytes(CkptWeights(c)); BinaryPrimitives.WriteUInt64LittleEndian(w, 1UL << 63); File.WriteAllBytes(CkptWeights(c), w);
            return Recommend(c, "model.safetensors", "header length");
        }),
        new("checkpoint-huge-shape", "checkpoint", "a tensor declaring shape [4294967296, 4294967296]", "inconsistent or mismatched shape", Exit.InvalidInput, d =>
        {
            string c = CopyCheckpoint(d);
            var file = File.ReadAllBytes(CkptWeights(c));
            int hlen = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
            var header = System.Text.Json.Nodes.JsonNode.Parse(file.AsSpan(8, hlen))!.AsObject();
            string name = header.Select(kv => kv.Key).Where(k => k != "__metadata__").Order(StringComparer.Ordinal).First();
            header[name]!["shape"] = new System.Text.Json.Nodes.JsonArray(4294967296L, 4294967296L);
            var h = Encoding.UTF8.GetBytes(header.ToJsonString());
            var b = new byte[8 + h.Length + file.Length - 8 - hlen];
            BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)h.Length); h.CopyTo(b, 8); file.AsSpan(8 + hlen).CopyTo(b.AsSpan(8 + h.Length));
            File.WriteAllBytes(CkptWeights(c), b);
            return Recommend(c, "model.safetensors", name, "inconsistent with its shape");
        }),
        new("checkpoint-wrong-dims", "checkpoint", "config.json says dimension 32, the weights are 16", "tensor shape mismatch", Exit.InvalidInput, d =>
        {
            string c = CopyCheckpoint(d);
            File.WriteAllText(CkptConfig(c), File.ReadAllText(CkptConfig(c)).Replace("\"dimension\": 16", "\"dimension\": 32"));
            return Recommend(c, "model.safetensors", "the model expects");
        }),
        new("checkpoint-config-garbage", "checkpoint", "config.json of random bytes", "malformed", Exit.InvalidInput, d =>
        {
            string c = CopyCheckpoint(d); File.WriteAllBytes(CkptConfig(c), RandomBytes(512));
            return Recommend(c, "config.json", "malformed");
        }),
        new("checkpoint-config-huge-dims", "checkpoint", "config.json with video_dimension 2^31-1", "out of range", Exit.InvalidInput, d =>
        {
            string c = CopyCheckpoint(d);
            File.WriteAllText(CkptConfig(c), File.ReadAllText(CkptConfig(c)).Replace("\"video_dimension\": 512", "\"video_dimension\": 2147483647"));
            return Recommend(c, "config.json", "video_dimension");
        }),
        new("checkpoint-is-a-file", "checkpoint", "--model naming a file", "no such checkpoint folder", Exit.InvalidInput,
            d => Recommend(Write(d, "model.safetensors", RandomBytes(64)), "model.safetensors", "no such checkpoint folder")),

        // ---- catalog folders -----------------------------------------------------------------
        new("catalog-db-random-bytes", "catalog", "catalog.db of random bytes", "cannot read the catalog", Exit.InvalidInput,
            d => new(["catalog", "list", "--catalog", Path.GetDirectoryName(Write(d, "cat/catalog.db", RandomBytes(8192)))!], ["catalog.db", "cannot read the catalog"], Unchanged: Path.Combine(d, "cat"))),
        new("catalog-db-empty", "catalog", "0-byte catalog.db", "not a viml-catalog/1 database", Exit.InvalidInput,
            d => new(["catalog", "list", "--catalog", Path.GetDirectoryName(Write(d, "cat/catalog.db", []))!], ["catalog.db", "not a viml-catalog/1 database"], Unchanged: Path.Combine(d, "cat"))),
        new("catalog-db-other-sqlite", "catalog", "a valid SQLite database of another program", "not a catalog database", Exit.InvalidInput, d =>
        {
            string db = Path.Combine(d, "cat", "catalog.db");
            Directory.CreateDirectory(Path.GetDirectoryName(db)!);
            using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=false")) { c.Open(); using var cmd = c.CreateCommand(); cmd.CommandText = "CREATE TABLE meta(k, v); INSERT INTO meta VALUES ('format', 'other');"; cmd.ExecuteNonQuery(); }
            return new(["catalog", "list", "--catalog", Path.GetDirectoryName(db)!], ["catalog.db", "not a viml-catalog/1 database"], Unchanged: Path.GetDirectoryName(db));
        }),
        new("catalog-db-is-folder", "catalog", "catalog.db is a folder", "not a Viml catalog", Exit.InvalidInput, d =>
        {
            Directory.CreateDirectory(Path.Combine(d, "cat", "catalog.db"));
            return new(["catalog", "list", "--catalog", Path.Combine(d, "cat")], ["cat", "not a Viml catalog"], Unchanged: Path.Combine(d, "cat"));
        }),
        new("catalog-missing-folder", "catalog", "--catalog naming a missing folder", "not a Viml catalog", Exit.InvalidInput,
            d => new(["catalog", "list", "--catalog", Path.Combine(d, "nope")], ["nope", "not a Viml catalog"], MustNotExist: [Path.Combine(d, "nope")])),
        new("catalog-add-read-only", "catalog", "catalog add into a folder on a read-only file system", "cannot create the catalog folder", Exit.CannotCreate, d =>
        {
            string ro = Path.Combine(d, "ro");
            MountTmpfs(ro, "64k", readOnly: true);
            return new(["catalog", "add", Tone, "--catalog", Path.Combine(ro, "cat"), "--model", Checkpoint], ["ro/cat", "Read-only file system"]);
        }, NeedsMount: true),
        new("catalog-add-disk-full", "catalog", "catalog add into a full 64-KiB tmpfs", "cannot write the catalog database (catalog named, SQLite: disk full)", Exit.IoError, d =>
        {
            string full = Path.Combine(d, "full");
            MountTmpfs(full, "64k");
            Fill(full, 4096);
            return new(["catalog", "add", Tone, "--catalog", Path.Combine(full, "cat"), "--model", Checkpoint], ["full/cat", "full"]);
        }, NeedsMount: true),

        // ---- found by hostile use -------------------------------------------------------------
        new("catalog-add-symlink-loop", "catalog", "a folder with one file and sub/up -> .. (a symbolic link loop)", "each real folder visited once: 1 audio file", Exit.ItemsFailed, d =>
        {
            string music = Path.Combine(d, "music");
            Write(music, "only.wav", RandomBytes(4096));
            Directory.CreateDirectory(Path.Combine(music, "sub"));
            Directory.CreateSymbolicLink(Path.Combine(music, "sub", "up"), "..");
            return new(["catalog", "add", music, "--catalog", Path.Combine(d, "cat"), "--model", Checkpoint], ["1 audio files", "only.wav"], Absent: ["sub/up"]);
        }),
        new("catalog-sync-folder-missing", "catalog", "catalog sync after the music folder was moved away", "folder missing, tracks kept", Exit.ItemsFailed, d =>
        {
            string music = Path.Combine(d, "music");
            Directory.CreateDirectory(music);
            string cat = CatalogOf(d, music, TestParts.Tone(Path.Combine(music, "a.wav"), 440, 2), TestParts.Tone(Path.Combine(music, "b.wav"), 660, 2));
            Directory.Move(music, Path.Combine(d, "moved"));
            return new(["catalog", "sync", "--catalog", cat], ["music", "folder missing", "2 track(s) are kept"], After: TrackCountIs(cat, 2));
        }),
        new("catalog-sync-mount-emptied", "catalog", "catalog sync when the music folder is an empty mount point", "none of its files there, tracks kept", Exit.ItemsFailed, d =>
        {
            string music = Path.Combine(d, "music");
            Directory.CreateDirectory(music);
            string cat = CatalogOf(d, music, TestParts.Tone(Path.Combine(music, "a.wav"), 440, 2), TestParts.Tone(Path.Combine(music, "b.wav"), 660, 2));
            foreach (var f in Directory.GetFiles(music)) File.Delete(f);
            return new(["catalog", "sync", "--catalog", cat], ["music", "none of its tracks' files", "kept"], After: TrackCountIs(cat, 2));
        }),
        new("catalog-add-busy", "catalog", "catalog add while another process writes the catalog", "catalog in use by pid N", Exit.Busy, d =>
        {
            string cat = Path.Combine(d, "cat");
            lock (HeldLocks) HeldLocks.Add(Viml.Catalog.CatalogLock.Acquire(cat));
            return new(["catalog", "add", Tone, "--catalog", cat, "--model", Checkpoint], ["cat", $"catalog in use by pid {Environment.ProcessId}"],
                MustNotExist: [Path.Combine(cat, Viml.Catalog.MusicCatalog.DatabaseFile)]);
        }),
        new("catalog-list-escape-codes", "catalog", "file names and ID3 titles holding terminal escape codes", "escaped when printed", Exit.Done, d =>
        {
            string music = Path.Combine(d, "music");
            Directory.CreateDirectory(music);
            string cat = CatalogOf(d, null, TestParts.Tone(Path.Combine(music, "clear\u001b[2J.wav"), 440, 2),
                TestParts.Tone(Path.Combine(music, "titled.wav"), 660, 2, title: "\u001b]0;owned\u0007Hello\u009b31m"));
            return new(["catalog", "list", "--catalog", cat], ["clear\\x1b[2", "\\x1b]0;owne", "Hello\\"], Absent: ["\u001b[2J", "\u001b]0;", "\u0007", "\u009b"]);
        }),
        new("config-learning-rate-infinite", "config", "\"learning_rate\": 1e400 (infinity)", "learning_rate out of range", Exit.InvalidInput, d => TrainWith(d, "learning_rate", "1e400", "learning_rate")),
        new("config-learning-rate-huge", "config", "\"learning_rate\": 1e308", "learning_rate out of range", Exit.InvalidInput, d => TrainWith(d, "learning_rate", "1e308", "learning_rate")),
        new("config-weight-decay-huge", "config", "\"weight_decay\": 1e300", "weight_decay out of range", Exit.InvalidInput, d => TrainWith(d, "weight_decay", "1e300", "weight_decay")),
        new("config-temperature-tiny", "config", "model temperature 1e-30", "temperature out of range", Exit.InvalidInput, d => TrainWith(d, "model.temperature", "1e-30", "temperature")),
        new("config-threads-huge", "config", "\"threads\": 100000", "threads out of range", Exit.InvalidInput, d => TrainWith(d, "threads", "100000", "threads", "100000")),
        new("config-threads-negative", "config", "\"threads\": -5", "threads out of range", Exit.InvalidInput, d => TrainWith(d, "threads", "-5", "threads", "-5")),
        new("train-threads-option-huge", "config", "--threads 100000", "out of range (usage)", Exit.Usage, d =>
        {
            var p = TrainWith(d, "epochs", "2");
            return p with { Args = [.. p.Args, "--threads", "100000"], Mentions = ["--threads", "100000"] };
        }),
        new("recommend-top-zero", "recommend", "--top 0", "must be between 1 and 1000 (usage)", Exit.Usage, d => RecommendWith("--top", "0")),
        new("recommend-min-duration-nan", "recommend", "--min-duration NaN", "must be a finite number of seconds (usage)", Exit.Usage, d => RecommendWith("--min-duration", "NaN")),
        new("recommend-nothing-matches", "recommend", "a video query with --min-duration 500 --max-duration 600 on a catalog without tracks", "says no track matched and why", Exit.Done,
            d => new(["recommend", Video, "--catalog", HostileWorld.Catalog, "--model", Checkpoint, "--min-duration", "500", "--max-duration", "600"],
                ["no track matched", "holds no tracks"])),
        new("recommend-max-duration-infinity", "recommend", "--max-duration Infinity", "must be a finite number of seconds (usage)", Exit.Usage, d => RecommendWith("--max-duration", "Infinity")),
    ];

    public static IEnumerable<object[]> Names() =>
        Cases.Where(c => !c.NeedsMount || MountRefusal is null).Select(c => new object[] { c.Name });
}
