using System.Numerics;
using Viml.Encoders;
using Viml.Media;

namespace Viml.Tests.Features;

/// <summary>A frame encoder that computes each frame's mean red, green and blue (0..1): small, exact, and it sees colour.</summary>
sealed class MeanColourEncoder(int width = 32, int height = 24) : IFrameEncoder
{
    public string Name => "mean-colour";
    public int Dimension => 3;
    public int InputWidth => width;
    public int InputHeight => height;
    public int Calls;

    public float[][] Embed(IReadOnlyList<RgbFrame> frames)
    {
        Interlocked.Increment(ref Calls);
        return frames.Select(f =>
        {
            if (f.Width != width || f.Height != height) throw new ArgumentException($"frame is {f.Width}x{f.Height}, not {width}x{height}");
            var p = f.Pixels.Span;
            double r = 0, g = 0, b = 0;
            for (int i = 0; i < p.Length; i += 3) { r += p[i]; g += p[i + 1]; b += p[i + 2]; }
            double n = p.Length / 3 * 255.0;
            return new[] { (float)(r / n), (float)(g / n), (float)(b / n) };
        }).ToArray();
    }

    public void Dispose() { }
}

/// <summary>
/// A music encoder that measures loudness per frequency band (RMS of the spectrum below 500 Hz, 500-2000 Hz,
/// above 2000 Hz, and overall) with tags "loud", "low" and "high" from the same numbers.
/// </summary>
sealed class BandRmsEncoder : IMusicEncoder
{
    const int N = 1024;
    public string Name => "band-rms";
    public int Dimension => 4;
    public int SampleRate => 16000;
    public IReadOnlyList<TagInfo> Tags { get; } =
        [new("test", "loudness", "loud"), new("test", "pitch", "low"), new("test", "pitch", "high")];

    public MusicSegmentFeatures[] Embed(IReadOnlyList<float[]> segments) => segments.Select(One).ToArray();

    MusicSegmentFeatures One(float[] pcm)
    {
        var bands = new double[3];
        int frames = 0;
        var x = new Complex[N];
        for (int start = 0; start + N <= pcm.Length; start += N, frames++)
        {
            for (int i = 0; i < N; i++) x[i] = pcm[start + i] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / N));
            Fft(x);
            for (int k = 1; k < N / 2; k++)
            {
                double hz = k * (double)SampleRate / N, power = x[k].Magnitude * x[k].Magnitude;
                bands[hz < 500 ? 0 : hz < 2000 ? 1 : 2] += power;
            }
        }
        double scale = frames == 0 ? 0 : 1.0 / (frames * N * N);
        var rms = bands.Select(b => Math.Sqrt(b * scale)).ToArray();
        double total = Math.Sqrt(bands.Sum() * scale);
        double energy = bands.Sum() + 1e-12;
        return new MusicSegmentFeatures(
            [(float)rms[0], (float)rms[1], (float)rms[2], (float)total],
            [(float)Math.Min(1, total / 0.05), (float)(bands[0] / energy), (float)(bands[2] / energy)]);
    }

    /// <summary>In-place radix-2 FFT.</summary>
    static void Fft(Complex[] a)
    {
        int n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (a[i], a[j]) = (a[j], a[i]);
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            var w = Complex.FromPolarCoordinates(1, -2 * Math.PI / len);
            for (int i = 0; i < n; i += len)
            {
                Complex wk = 1;
                for (int k = 0; k < len / 2; k++, wk *= w)
                {
                    var u = a[i + k];
                    var v = a[i + k + len / 2] * wk;
                    a[i + k] = u + v;
                    a[i + k + len / 2] = u - v;
                }
            }
        }
    }

    public void Dispose() { }
}
