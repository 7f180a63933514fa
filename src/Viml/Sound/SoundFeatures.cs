using System.Numerics.Tensors;

namespace Viml.Sound;

/// <summary>
/// Signal statistics of a stretch of mono audio at 16 kHz that tell music, speech and other sound apart without a
/// music tagger (taggers hear speech as singing). Frames of 32 ms every 16 ms; per stretch:
/// loudness, spectral flatness (noise is flat), zero-crossing rate and its spread (speech alternates voiced and
/// unvoiced sounds), the share of envelope energy at 2-8 Hz (syllables come about 4 times a second), the share of
/// quiet frames (pauses between phrases), harmonicity (the autocorrelation peak at a pitch lag of 80-1000 Hz) and
/// the share of harmonic frames, onset regularity (the autocorrelation peak of spectral flux at 0.3-1.5 s: a beat),
/// spectral centroid and its spread, and mean spectral flux.
/// </summary>
public static class SoundFeatures
{
    public const int SampleRate = 16000;
    const int Frame = 512, Hop = 256;
    public static readonly string[] Names =
    {
        "log rms", "flatness", "flatness sd", "zcr", "zcr sd", "4 Hz modulation", "quiet frames", "harmonicity",
        "harmonic frames", "onset regularity", "centroid", "centroid sd", "flux", "harmonicity sd",
    };

    public static float[] Of(ReadOnlySpan<float> pcm)
    {
        int n = pcm.Length < Frame ? 0 : 1 + (pcm.Length - Frame) / Hop;
        if (n < 8) return new float[Names.Length];   // too short to say: all zeros, read as silence
        var rms = new double[n]; var zcr = new double[n]; var flat = new double[n]; var cent = new double[n];
        var flux = new double[n]; var harm = new double[n];
        var window = new double[Frame];
        for (int i = 0; i < Frame; i++) window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / Frame);
        var re = new double[Frame]; var im = new double[Frame];
        var prevMag = new double[Frame / 2 + 1];
        var frame = new float[Frame];
        for (int f = 0; f < n; f++)
        {
            pcm.Slice(f * Hop, Frame).CopyTo(frame);
            double mean = TensorPrimitives.Sum<float>(frame) / Frame;
            for (int i = 0; i < Frame; i++) frame[i] -= (float)mean;
            rms[f] = Math.Sqrt(TensorPrimitives.SumOfSquares<float>(frame) / Frame);
            int z = 0;
            for (int i = 1; i < Frame; i++) if ((frame[i] >= 0) != (frame[i - 1] >= 0)) z++;
            zcr[f] = (double)z / Frame;
            // Harmonicity: normalised autocorrelation peak over pitch lags 16..200 samples (1000..80 Hz).
            double best = 0;
            for (int lag = 16; lag <= 200; lag++)
            {
                var a = frame.AsSpan(0, Frame - lag); var b = frame.AsSpan(lag);
                double r = TensorPrimitives.Dot<float>(a, b) / Math.Sqrt((TensorPrimitives.SumOfSquares<float>(a) + 1e-9) * (TensorPrimitives.SumOfSquares<float>(b) + 1e-9));
                if (r > best) best = r;
            }
            harm[f] = rms[f] > 1e-4 ? best : 0;
            for (int i = 0; i < Frame; i++) { re[i] = frame[i] * window[i]; im[i] = 0; }
            Fft(re, im);
            double logSum = 0, sum = 0, wsum = 0, fl = 0;
            for (int k = 1; k <= Frame / 2; k++)
            {
                double p = re[k] * re[k] + im[k] * im[k] + 1e-12;
                logSum += Math.Log(p); sum += p; wsum += k * p;
                double mag = Math.Log(1 + Math.Sqrt(p));
                if (f > 0) fl += Math.Max(0, mag - prevMag[k]);
                prevMag[k] = mag;
            }
            int bins = Frame / 2;
            flat[f] = Math.Exp(logSum / bins) / (sum / bins);
            cent[f] = wsum / sum / bins;
            flux[f] = fl / bins;
        }
        double meanRms = rms.Average();
        var loud = Enumerable.Range(0, n).Where(i => rms[i] > 0.1 * meanRms).ToArray();
        if (loud.Length == 0) loud = Enumerable.Range(0, n).ToArray();
        double[] Sel(double[] x) => loud.Select(i => x[i]).ToArray();
        var hl = Sel(harm);
        return new[]
        {
            Math.Log10(meanRms + 1e-5), Sel(flat).Average(), Sd(Sel(flat)), Sel(zcr).Average(), Sd(Sel(zcr)),
            Modulation(rms), rms.Count(r => r < 0.3 * meanRms) / (double)n, hl.Average(), hl.Count(h => h > 0.6) / (double)hl.Length,
            Regularity(flux), Sel(cent).Average(), Sd(Sel(cent)), flux.Average() * 100, Sd(hl),
        }.Select(v => double.IsFinite(v) ? (float)v : 0f).ToArray();
    }

    static double Sd(double[] x)
    {
        double m = x.Average();
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / x.Length);
    }

    /// <summary>Share of the loudness envelope's power (0.5-20 Hz) that lies at 2-8 Hz.</summary>
    static double Modulation(double[] env)
    {
        double rate = (double)SampleRate / Hop, m = env.Average();
        double band = 0, total = 0;
        for (double hz = 0.5; hz <= 20; hz += 0.25)
        {
            double c = 0, s = 0;
            for (int i = 0; i < env.Length; i++) { double ph = 2 * Math.PI * hz * i / rate; c += (env[i] - m) * Math.Cos(ph); s += (env[i] - m) * Math.Sin(ph); }
            double p = c * c + s * s;
            total += p;
            if (hz >= 2 && hz <= 8) band += p;
        }
        return total > 0 ? band / total : 0;
    }

    /// <summary>Highest normalised autocorrelation of the onset (flux) envelope at lags of 0.3-1.5 s.</summary>
    static double Regularity(double[] flux)
    {
        double rate = (double)SampleRate / Hop, m = flux.Average();
        var x = flux.Select(v => v - m).ToArray();
        double e = x.Sum(v => v * v);
        if (e <= 0) return 0;
        double best = 0;
        for (int lag = (int)(0.3 * rate); lag <= (int)(1.5 * rate) && lag < x.Length / 2; lag++)
        {
            double r = 0;
            for (int i = 0; i + lag < x.Length; i++) r += x[i] * x[i + lag];
            best = Math.Max(best, r / e * x.Length / (x.Length - lag));
        }
        return best;
    }

    /// <summary>In-place radix-2 FFT (length a power of two).</summary>
    static void Fft(double[] re, double[] im)
    {
        int n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            double ang = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len)
                for (int k = 0; k < len / 2; k++)
                {
                    double wr = Math.Cos(ang * k), wi = Math.Sin(ang * k);
                    double ur = re[i + k], ui = im[i + k];
                    double vr = re[i + k + len / 2] * wr - im[i + k + len / 2] * wi, vi = re[i + k + len / 2] * wi + im[i + k + len / 2] * wr;
                    re[i + k] = ur + vr; im[i + k] = ui + vi; re[i + k + len / 2] = ur - vr; im[i + k + len / 2] = ui - vi;
                }
        }
    }
}
