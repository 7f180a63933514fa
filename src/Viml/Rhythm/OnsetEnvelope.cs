using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace Viml.Rhythm;

/// <summary>
/// Onset strength of a piece of audio, sampled at <see cref="FrameRate"/> frames per second: how much new sound
/// starts in each frame. <see cref="Bass"/> is the same for the bands below 200 Hz (kicks and bass lines mark bars);
/// <see cref="Loudness"/> is each frame's RMS level in dBFS.
/// </summary>
public sealed record OnsetEnvelope(float[] Strength, float[] Bass, float[] Loudness, double FrameRate)
{
    /// <summary>Time in seconds of the middle of frame <paramref name="i"/>.</summary>
    public double TimeOf(double i) => i / FrameRate;

    public double Duration => Strength.Length / FrameRate;
}

/// <summary>
/// Spectral flux on a log-magnitude STFT (Math.NET's real FFT): Hann-windowed frames of ~64 ms every 10 ms, power summed into
/// <see cref="Bands"/> log-spaced bands (30 Hz to 8 kHz), in dB with an 80-dB floor below the loudest band,
/// and the half-wave rectified rise of each band from one frame to the next, averaged over bands
/// (the onset strength of Böck/Widmer and librosa, with log bands in place of mel).
/// </summary>
public static class OnsetStrength
{
    public const double FramesPerSecond = 100;
    const int Bands = 48;
    const double LowHz = 30, HighHz = 8000, BassHz = 200, FloorDb = 80;

    public static OnsetEnvelope Compute(ReadOnlySpan<float> pcm, int sampleRate)
    {
        if (sampleRate < 4000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "need at least 4000 Hz");
        int n = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Round(0.064 * sampleRate));
        double hop = sampleRate / FramesPerSecond;
        int frames = Math.Max(1, (int)Math.Ceiling(pcm.Length / hop));
        var window = new float[n];
        for (int i = 0; i < n; i++) window[i] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n));
        var (bandOf, bassBands) = BandMap(n, sampleRate);

        var db = new float[frames * Bands];
        var loudness = new float[frames];
        var buffer = new float[n + 2];
        var power = new double[Bands];
        for (int f = 0; f < frames; f++)
        {
            int centre = (int)Math.Round(f * hop), start = centre - n / 2;
            double sumSq = 0;
            for (int i = 0; i < n; i++)
            {
                int k = start + i;
                float x = k >= 0 && k < pcm.Length ? pcm[k] : 0f;
                sumSq += x * x;
                buffer[i] = x * window[i];
            }
            loudness[f] = (float)Math.Max(-100, 10 * Math.Log10(sumSq / n + 1e-10));
            buffer[n] = buffer[n + 1] = 0;
            Fourier.ForwardReal(buffer, n, FourierOptions.NoScaling);   // bin k: buffer[2k] + i buffer[2k+1]
            Array.Clear(power);
            for (int k = 1; k <= n / 2; k++)
                if (bandOf[k] >= 0) power[bandOf[k]] += (double)buffer[2 * k] * buffer[2 * k] + (double)buffer[2 * k + 1] * buffer[2 * k + 1];
            for (int b = 0; b < Bands; b++) db[f * Bands + b] = (float)(10 * Math.Log10(power[b] + 1e-10));
        }
        float top = db.Length > 0 ? db.Max() : 0;
        for (int i = 0; i < db.Length; i++) db[i] = Math.Max(db[i], top - (float)FloorDb);

        var strength = new float[frames];
        var bass = new float[frames];
        for (int f = 1; f < frames; f++)
        {
            float all = 0, low = 0;
            for (int b = 0; b < Bands; b++)
            {
                float rise = Math.Max(0, db[f * Bands + b] - db[(f - 1) * Bands + b]);
                all += rise;
                if (b < bassBands) low += rise;
            }
            strength[f] = all / Bands;
            bass[f] = bassBands > 0 ? low / bassBands : 0;
        }
        return new OnsetEnvelope(strength, bass, loudness, sampleRate / hop);
    }

    /// <summary>The band of each FFT bin (-1: outside 30 Hz..8 kHz), and how many bands lie below 200 Hz.</summary>
    static (int[] BandOf, int BassBands) BandMap(int n, int sampleRate)
    {
        double high = Math.Min(HighHz, sampleRate / 2.0);
        var bandOf = new int[n / 2 + 1];
        int bass = 0;
        for (int k = 0; k <= n / 2; k++)
        {
            double hz = (double)k * sampleRate / n;
            bandOf[k] = hz < LowHz || hz > high ? -1 : Math.Min(Bands - 1, (int)(Bands * Math.Log(hz / LowHz) / Math.Log(high / LowHz)));
            if (hz <= BassHz && bandOf[k] >= 0) bass = Math.Max(bass, bandOf[k] + 1);
        }
        return (bandOf, bass);
    }
}
