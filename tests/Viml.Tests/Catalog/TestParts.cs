using System.Diagnostics;
using System.Numerics.Tensors;
using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Tests.Catalog;

/// <summary>Real, small stand-ins for the heavy parts, so catalog tests run in seconds: an ffmpeg decoder, the
/// segment rule, a signal-statistics music encoder and a random-projection model.</summary>
static class TestParts
{
    public static int Decodes;

    public static IngestParts Create(int modelSeed = 1) => new(Decode, Split, new StatsEncoder(), new ProjectionModel(modelSeed));

    public static float[] Decode(string path, int sampleRate, CancellationToken ct)
    {
        Interlocked.Increment(ref Decodes);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-i", path, "-ac", "1", "-ar", sampleRate.ToString(), "-f", "f32le", "-" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        if (p.ExitCode != 0 || ms.Length == 0) throw new MediaException(path, "cannot decode audio: " + err.Result.Trim());
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(ms.ToArray()).ToArray();
    }

    /// <summary>The segment rule: 10-s segments, a tail >= 5 s kept, 1-10 s gives one, &lt; 1 s is too short.</summary>
    public static IReadOnlyList<(double Start, double End)> Split(double start, double end)
    {
        double len = end - start;
        if (len < 1) throw new MediaException("(audio)", "too short");
        if (len < 10) return [(start, end)];
        var list = new List<(double, double)>();
        double t = start;
        for (; t + 10 <= end + 1e-9; t += 10) list.Add((t, t + 10));
        if (end - t >= 5) list.Add((t, end));
        return list;
    }

    public static void Ffmpeg(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new Exception("ffmpeg failed: " + err);
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
    public ProjectionModel(int seed, int input = 16, int dim = 8)
    {
        var rng = new Random(seed);
        _w = Enumerable.Range(0, dim).Select(_ => Enumerable.Range(0, input).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToArray();
        Id = $"proj{seed}";
        MusicDimension = input; Dimension = dim;
    }
    public string Id { get; }
    public int Dimension { get; }
    public int MusicDimension { get; }
    public float[] EmbedMusic(float[][] musicSegments)
    {
        var mean = new float[MusicDimension];
        foreach (var s in musicSegments) TensorPrimitives.Add(mean, s, mean);
        var e = _w.Select(w => TensorPrimitives.Dot<float>(w, mean)).ToArray();
        TensorPrimitives.Divide(e, TensorPrimitives.Norm<float>(e), e);
        return e;
    }
}
