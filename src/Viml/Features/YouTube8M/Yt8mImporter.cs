using Google.Protobuf;

namespace Viml.Features.YouTube8M;

/// <summary>One YouTube-8M frame-level video: id, label ids, and per-second quantized features.</summary>
public sealed record Yt8mVideo(string Id, long[] Labels, byte[][] Rgb, byte[][] Audio)
{
    public int Seconds => Math.Min(Rgb.Length, Audio.Length);
}

/// <summary>
/// YouTube-8M frame-level features (<c>tf.train.SequenceExample</c>: context <c>id</c> bytes and <c>labels</c>
/// int64 list; feature lists <c>rgb</c>, 1024 quantized bytes per second, and <c>audio</c>, 128 per second)
/// turned into feature-store items: video = rgb, music = audio, one row per segment, the mean of its seconds.
/// </summary>
public static class Yt8m
{
    public const int RgbDimension = 1024, AudioDimension = 128;
    public const string VideoEncoder = "yt8m-rgb", MusicEncoder = "yt8m-audio";

    /// <summary>Store settings for imported YouTube-8M features: one frame per second, no tags.</summary>
    public static StoreInfo StoreInfo(double segmentSeconds = 10) =>
        new(VideoEncoder, RgbDimension, MusicEncoder, AudioDimension, Array.Empty<string>(), segmentSeconds, Fps: 1);

    // As the YouTube-8M starter code's utils.Dequantize: range [-2, 2] in 255 steps, plus half a step
    // (each byte stands for the middle of its bucket).
    const float Min = -2f, Max = 2f;
    const float Scale = (Max - Min) / 255f, Bias = (Max - Min) / 512f + Min;

    public static float Dequantize(byte q) => q * Scale + Bias;

    /// <summary>Reads the YouTube-8M fields of a SequenceExample; throws <see cref="InvalidInputException"/> naming what is missing or wrong.</summary>
    public static Yt8mVideo FromExample(SequenceExample ex)
    {
        if (!ex.Context.TryGetValue("id", out var idf) || idf.Bytes.Count != 1)
            throw new InvalidInputException("no context feature 'id' (one byte string)");
        string id = System.Text.Encoding.UTF8.GetString(idf.Bytes[0]);
        if (id.Length == 0) throw new InvalidInputException("empty 'id'");
        long[] labels = ex.Context.TryGetValue("labels", out var lf) ? lf.Int64s.ToArray() : Array.Empty<long>();
        byte[][] rgb = Frames(ex, "rgb", RgbDimension, id);
        byte[][] audio = Frames(ex, "audio", AudioDimension, id);
        if (rgb.Length != audio.Length)
            throw new InvalidInputException($"video {id}: {rgb.Length} seconds of rgb but {audio.Length} of audio");
        return new Yt8mVideo(id, labels, rgb, audio);
    }

    static byte[][] Frames(SequenceExample ex, string name, int dimension, string id)
    {
        if (!ex.FeatureLists.TryGetValue(name, out var list))
            throw new InvalidInputException($"video {id}: no feature list '{name}'");
        var frames = new byte[list.Count][];
        for (int i = 0; i < list.Count; i++)
        {
            var f = list[i];
            if (f.Bytes.Count != 1 || f.Bytes[0].Length != dimension)
                throw new InvalidInputException($"video {id}: '{name}' second {i} has {(f.Bytes.Count == 1 ? f.Bytes[0].Length : f.Bytes.Count == 0 ? 0 : -1)} bytes, expected {dimension}");
            frames[i] = f.Bytes[0];
        }
        return frames;
    }

    /// <summary>
    /// Segments of a clip of whole seconds, by the product's segment rule: full segments; a tail of at
    /// least half a segment is kept as a shorter last segment; a clip shorter than one segment but at
    /// least one second gives one segment.
    /// </summary>
    public static IReadOnlyList<(int Start, int End)> Segments(int seconds, int segmentSeconds = 10)
    {
        if (seconds < 1) throw new InvalidInputException($"{seconds} s of features: too short (at least 1 s)");
        if (seconds < segmentSeconds) return new[] { (0, seconds) };
        var list = new List<(int, int)>();
        int s = 0;
        for (; s + segmentSeconds <= seconds; s += segmentSeconds) list.Add((s, s + segmentSeconds));
        if (seconds - s >= segmentSeconds / 2.0) list.Add((s, seconds));
        return list;
    }

    /// <summary>The feature-store item: per segment, the mean of the dequantized seconds.</summary>
    public static FeatureItem ToItem(Yt8mVideo v, string sourceFile, int segmentSeconds = 10)
    {
        var segments = Segments(v.Seconds, segmentSeconds);
        var video = new float[segments.Count][];
        var music = new float[segments.Count][];
        for (int k = 0; k < segments.Count; k++)
        {
            video[k] = Mean(v.Rgb, segments[k], RgbDimension);
            music[k] = Mean(v.Audio, segments[k], AudioDimension);
        }
        var source = new Dictionary<string, string>
        {
            ["source"] = "youtube-8m",
            ["file"] = Path.GetFileName(sourceFile),
            ["labels"] = string.Join(",", v.Labels),
            ["seconds"] = v.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return new FeatureItem(v.Id, video, music,
            segments.Select(_ => Array.Empty<float>()).ToArray(),
            segments.Select(s => (double)s.Start).ToArray(), source);
    }

    static float[] Mean(byte[][] frames, (int Start, int End) seg, int dimension)
    {
        var sum = new int[dimension];
        for (int t = seg.Start; t < seg.End; t++)
        {
            var f = frames[t];
            for (int d = 0; d < dimension; d++) sum[d] += f[d];
        }
        int n = seg.End - seg.Start;
        var mean = new float[dimension];
        // the dequantization is affine, so the mean of dequantized values is the dequantized mean
        for (int d = 0; d < dimension; d++) mean[d] = (float)sum[d] / n * Scale + Bias;
        return mean;
    }
}

/// <summary>What an import did: counts, plus one line per record that was skipped because it is corrupt or malformed.</summary>
public sealed record Yt8mImportReport(int Files, int Records, int Imported, int AlreadyInStore, int FilteredOut, IReadOnlyList<string> Problems);

/// <summary>Progress of an import: files finished of all, records read so far.</summary>
public readonly record struct Yt8mProgress(int FilesDone, int Files, int Records, int Imported);

/// <summary>Imports YouTube-8M frame-level TFRecord files into a feature store (resumable: items already there are skipped).</summary>
public static class Yt8mImporter
{
    public static Yt8mImportReport Import(IReadOnlyList<string> files, string storeRoot, IReadOnlySet<long>? labels = null,
        IProgress<Yt8mProgress>? progress = null, CancellationToken ct = default)
    {
        if (files.Count == 0) throw new InvalidInputException("no TFRecord files given");
        foreach (var f in files)   // every input readable before anything is written
        {
            if (Directory.Exists(f)) throw new InvalidInputException($"{f}: is a folder, not a TFRecord file");
            if (!File.Exists(f)) throw new InvalidInputException($"{f}: no such file");
            try { using var _ = File.OpenRead(f); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InvalidInputException($"{f}: cannot read ({e.Message})", e); }
        }
        var store = FeatureStore.OpenOrCreate(storeRoot, Yt8m.StoreInfo());
        int segmentSeconds = (int)store.Info.SegmentSeconds;
        var problems = new List<string>();
        int records = 0, imported = 0, existing = 0, filtered = 0;
        for (int i = 0; i < files.Count; i++)
        {
            foreach (var rec in TfRecordReader.Read(files[i], ct))
            {
                records++;
                if (!rec.Ok) { problems.Add($"{rec.File}: {rec.Problem}"); continue; }
                Yt8mVideo video;
                try { video = Yt8m.FromExample(SequenceExample.Parse(rec.Data!)); }
                catch (Exception e) when (e is InvalidProtocolBufferException or InvalidInputException)
                {
                    problems.Add($"{rec.File}: record {rec.Index} at byte {rec.Offset}: {e.Message}; record skipped");
                    continue;
                }
                if (labels is { Count: > 0 } && !video.Labels.Any(labels.Contains)) { filtered++; continue; }
                if (store.Contains(video.Id)) { existing++; continue; }
                if (video.Seconds < 1)
                {
                    problems.Add($"{rec.File}: record {rec.Index} (video {video.Id}): no seconds of features; record skipped");
                    continue;
                }
                store.Write(Yt8m.ToItem(video, files[i], segmentSeconds));
                imported++;
                progress?.Report(new Yt8mProgress(i, files.Count, records, imported));
            }
            progress?.Report(new Yt8mProgress(i + 1, files.Count, records, imported));
        }
        return new Yt8mImportReport(files.Count, records, imported, existing, filtered, problems);
    }
}

/// <summary>Command-line inputs to file lists: files, folders (their <c>*.tfrecord</c>), and <c>*</c>/<c>?</c> patterns in the file name.</summary>
public static class InputFiles
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs, string folderPattern = "*.tfrecord")
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input)) { files.AddRange(Directory.GetFiles(input, folderPattern).Order(StringComparer.Ordinal)); continue; }
            string name = Path.GetFileName(input);
            if (name.IndexOfAny(['*', '?']) >= 0)
            {
                string dir = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
                if (!Directory.Exists(dir)) throw new InvalidInputException($"{input}: no such folder '{dir}'");
                var matched = Directory.GetFiles(dir, name).Order(StringComparer.Ordinal).ToList();
                if (matched.Count == 0) throw new InvalidInputException($"{input}: matches no file");
                files.AddRange(matched);
                continue;
            }
            if (!File.Exists(input)) throw new InvalidInputException($"{input}: no such file or folder");
            files.Add(input);
        }
        return files;
    }
}
