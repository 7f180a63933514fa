using System.Diagnostics;
using System.Numerics.Tensors;
using Viml.Catalog;
using Viml.Encoders;
using Viml.Media;

namespace Viml.Tests.Catalog;

/// <summary>Real, small stand-ins for the heavy parts, so catalog tests run in seconds: an ffmpeg decoder, the
/// segment rule, a signal-statistics music encoder and a random-projection model.</summary>
static class TestParts
{
    public static int Decodes;

    public static IngestParts Create(int modelSeed = 1) =>
        new(new CountedAudio(() => Interlocked.Increment(ref Decodes)), new StatsEncoder(), new ProjectionModel(modelSeed));

    /// <summary>The real media path (probe, ffmpeg frames, segmenter) with the small test encoders and model.</summary>
    public static QueryParts Query(int modelSeed = 1, bool textOnly = false) =>
        CatalogParts.Query(new ProjectionModel(modelSeed) { TextOnly = textOnly }, new StatsFrameEncoder(), new HashTextEncoder());

    /// <summary>A short test video: a colour pattern, optionally with a tone.</summary>
    public static string Video(string path, double seconds, string pattern = "testsrc2")
    {
        Ffmpeg("-f", "lavfi", "-i", $"{pattern}=size=160x120:rate=12:duration={seconds}", "-pix_fmt", "yuv420p", path);
        return path;
    }

    /// <summary>The real decoder (ffmpeg through <see cref="Viml.Media.AudioDecoder"/>), counted.</summary>
    public static float[] Decode(string path, int sampleRate, CancellationToken ct)
    {
        Interlocked.Increment(ref Decodes);
        return Viml.Media.AudioDecoder.DecodeMono(path, sampleRate, ct: ct);
    }

    public static IReadOnlyList<(double Start, double End)> Split(double start, double end, string path) =>
        Viml.Media.Segmenter.Split(start, end, path: path).Select(s => (s.Start, s.End)).ToList();

    public static void Ffmpeg(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg failed: " + err);
    }

    /// <summary>Writes a tone (sine at <paramref name="hz"/>, or pink noise when hz is 0) of the given length.</summary>
    public static string Tone(string path, double hz, double seconds, string? title = null)
    {
        var src = hz > 0 ? $"sine=frequency={hz}:duration={seconds}:sample_rate=44100" : $"anoisesrc=color=pink:duration={seconds}:sample_rate=44100:amplitude=0.5";
        var args = new List<string> { "-f", "lavfi", "-i", src };
        if (title != null) { args.Add("-metadata"); args.Add($"title={title}"); args.Add("-metadata"); args.Add("artist=Viml Tests"); }
        args.Add(path);
        Ffmpeg(args.ToArray());
        return path;
    }
}

/// <summary>The real audio decoder (ffmpeg through <see cref="Viml.Media.AudioDecoder"/>), calling back on every decode.</summary>
sealed class CountedAudio(Action decoded) : IAudioSource
{
    public float[] DecodeMono(string path, int sampleRate, CancellationToken ct)
    {
        decoded();
        return Viml.Media.AudioDecoder.DecodeMono(path, sampleRate, ct: ct);
    }
}

/// <summary>An audio source for work that must never decode (re-embedding).</summary>
sealed class NoAudio : IAudioSource
{
    public float[] DecodeMono(string path, int sampleRate, CancellationToken ct) => throw new InvalidOperationException("decoded");
}

/// <summary>Per segment: energy and zero-crossing statistics over 8 blocks (16 values); tags loud / noisy from them.</summary>
sealed class StatsEncoder : IMusicEncoder
{
    public string Name => "stats-test";
    public int Dimension => 16;
    public int SampleRate => 16000;
    public IReadOnlyList<TagInfo> Tags { get; } = [new("test", "mood", "loud"), new("test", "genre", "noisy"), new("test", "genre", "tonal")];

    public MusicSegmentFeatures[] Embed(IReadOnlyList<float[]> segments) => segments.Select(pcm =>
    {
        var f = new float[16];
        int block = Math.Max(1, pcm.Length / 8);
        for (int b = 0; b < 8; b++)
        {
            var s = pcm.AsSpan(Math.Min(b * block, pcm.Length), Math.Min(block, Math.Max(0, pcm.Length - b * block)));
            if (s.Length == 0) continue;
            f[b] = MathF.Sqrt(TensorPrimitives.SumOfSquares(s) / s.Length);
            int z = 0; for (int i = 1; i < s.Length; i++) if ((s[i] >= 0) != (s[i - 1] >= 0)) z++;
            f[8 + b] = (float)z / s.Length;
        }
        float rms = f[..8].Average(), zcr = f[8..].Average();
        return new MusicSegmentFeatures(f, [rms > 0.3f ? 1 : rms, zcr > 0.1f ? 0.9f : 0.1f, zcr > 0.1f ? 0.1f : 0.9f]);
    }).ToArray();

    public void Dispose() { }
}

/// <summary>A fixed random projection of the mean segment feature, L2-normalised: a model with a music branch and nothing else.</summary>
sealed class ProjectionModel : ICatalogModel
{
    readonly float[][] _w;
    readonly float[][] _video, _text;
    public ProjectionModel(int seed, int input = 16, int dim = 8)
    {
        var rng = new Random(seed);
        float[][] W(int n) => Enumerable.Range(0, dim).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
        _w = W(input); _video = W(StatsFrameEncoder.Size); _text = W(HashTextEncoder.Size);
        Id = $"proj{seed}";
        MusicDimension = input; Dimension = dim;
    }
    public string Id { get; }
    public int Dimension { get; }
    public int MusicDimension { get; }
    public int VideoDimension => StatsFrameEncoder.Size;
    public int TextDimension => HashTextEncoder.Size;
    public float[] EmbedMusic(float[][] musicSegments) => Project(_w, musicSegments);
    public float[] EmbedQuery(float[][] videoSegments, float[]? textBase)
    {
        var v = Project(_video, videoSegments);
        if (textBase != null) TensorPrimitives.Add(v, Project(_text, [textBase]), v);
        TensorPrimitives.Divide(v, TensorPrimitives.Norm<float>(v), v);
        return v;
    }
    public float[]? EmbedTextOnly(float[] textBase) => TextOnly ? Project(_text, [textBase]) : null;
    public bool TextOnly { get; init; }
    public IReadOnlyDictionary<string, string> BaseEncoders { get; init; } = new Dictionary<string, string>();

    static float[] Project(float[][] w, float[][] rows)
    {
        var mean = new float[w[0].Length];
        foreach (var s in rows) TensorPrimitives.Add(mean, s, mean);
        var e = w.Select(r => TensorPrimitives.Dot<float>(r, mean)).ToArray();
        TensorPrimitives.Divide(e, TensorPrimitives.Norm<float>(e) + 1e-12f, e);
        return e;
    }
}

/// <summary>Frame feature: mean R, G, B over a 2x2 grid plus overall brightness (13 values) on 32x32 frames.</summary>
sealed class StatsFrameEncoder : IFrameEncoder
{
    public const int Size = 13;
    public string Name => "frame-stats-test";
    public int Dimension => Size;
    public int InputWidth => 32;
    public int InputHeight => 32;
    public float[][] Embed(IReadOnlyList<RgbFrame> frames) => frames.Select(f =>
    {
        var v = new float[Size];
        var px = f.Pixels.Span;
        for (int y = 0; y < f.Height; y++)
            for (int x = 0; x < f.Width; x++)
            {
                int cell = (y * 2 / f.Height) * 2 + x * 2 / f.Width;
                for (int c = 0; c < 3; c++) v[cell * 3 + c] += px[(y * f.Width + x) * 3 + c] / 255f;
            }
        float cellPixels = f.Width * f.Height / 4f;
        for (int i = 0; i < 12; i++) v[i] /= cellPixels;
        v[12] = v[..12].Average();
        return v;
    }).ToArray();
    public void Dispose() { }
}

/// <summary>Text feature: hashed bag of lower-case words (16 buckets), L2-normalised; the empty string embeds to zeros.</summary>
sealed class HashTextEncoder : ITextEncoder
{
    public const int Size = 16;
    public string Name => "hash-text-test";
    public int Dimension => Size;
    public float[][] Embed(IReadOnlyList<string> texts) => texts.Select(t =>
    {
        var v = new float[Size];
        foreach (var w in t.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            v[(int)((uint)w.Aggregate(17, (h, c) => h * 31 + c) % Size)] += 1;
        float n = TensorPrimitives.Norm<float>(v);
        if (n > 0) TensorPrimitives.Divide(v, n, v);
        return v;
    }).ToArray();
    public void Dispose() { }
}
