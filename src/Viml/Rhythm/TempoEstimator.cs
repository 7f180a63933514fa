namespace Viml.Rhythm;

/// <summary>A tempo in beats per minute, and how clearly the music states it (0 = no pulse found, 1 = one clear period).</summary>
public readonly record struct Tempo(double Bpm, double Confidence);

/// <summary>
/// Tempo from an onset envelope: the autocorrelation of the (mean-removed) envelope, averaged over 8-s windows
/// with a 2-s hop so that a piece that changes tempo votes for each of its tempi, summed with its value at twice
/// the lag (a two-tooth comb, so the beat period outscores its own half), weighted by a perceptual prior
/// (log-normal around 120 BPM, one octave wide, as Ellis 2007 and librosa), peak refined by parabolic interpolation.
/// Confidence: how far the best period stands above the best rival that is not a multiple or divisor of it.
/// </summary>
public static class TempoEstimator
{
    public const double MinBpm = 30, MaxBpm = 300;
    const double PriorBpm = 120, PriorOctaves = 1.0, WindowSeconds = 8, HopSeconds = 2;

    public static Tempo Estimate(OnsetEnvelope onsets)
    {
        var score = Tempogram(onsets.Strength, onsets.FrameRate, out int minLag, out _);
        if (score.Length == 0) return new Tempo(PriorBpm, 0);
        for (int lag = minLag; lag < score.Length; lag++) score[lag] *= Prior(60 * onsets.FrameRate / lag, PriorBpm);
        return Pick(score, minLag, onsets.FrameRate);
    }

    /// <summary>The perceptual weight of a tempo: log-normal around <paramref name="centre"/>.</summary>
    public static double Prior(double bpm, double centre, double octaves = PriorOctaves)
    {
        double o = Math.Log2(bpm / centre) / octaves;
        return Math.Exp(-0.5 * o * o);
    }

    /// <summary>Comb-summed mean windowed autocorrelation of <paramref name="x"/> by lag (entries below <paramref name="minLag"/> are 0).</summary>
    internal static double[] Tempogram(ReadOnlySpan<float> x, double frameRate, out int minLag, out int maxLag)
    {
        minLag = (int)Math.Floor(60 * frameRate / MaxBpm);
        maxLag = (int)Math.Ceiling(60 * frameRate / MinBpm);
        int win = (int)(WindowSeconds * frameRate), hop = (int)(HopSeconds * frameRate);
        if (x.Length < 2 * minLag + 4) return [];
        win = Math.Min(win, x.Length);
        maxLag = Math.Min(maxLag, win / 2);
        var acf = new double[2 * maxLag + 1];
        int windows = 0;
        var w = new double[win];
        for (int s = 0; s + win <= x.Length; s += hop)
        {
            double mean = 0;
            for (int i = 0; i < win; i++) mean += x[s + i];
            mean /= win;
            double energy = 0;
            for (int i = 0; i < win; i++) { w[i] = x[s + i] - mean; energy += w[i] * w[i]; }
            if (energy <= 1e-12) continue;
            for (int lag = minLag; lag < acf.Length && lag < win; lag++)
            {
                double sum = 0;
                for (int i = lag; i < win; i++) sum += w[i] * w[i - lag];
                acf[lag] += sum / energy * win / (win - lag);   // unbiased: long lags are not penalised for overlapping less
            }
            windows++;
        }
        if (windows == 0) return [];
        var comb = new double[maxLag + 1];
        for (int lag = minLag; lag <= maxLag; lag++)
            comb[lag] = Math.Max(0, acf[lag] / windows) + 0.5 * Math.Max(0, acf[Math.Min(2 * lag, acf.Length - 1)] / windows);
        return comb;
    }

    static Tempo Pick(double[] score, int minLag, double frameRate)
    {
        int best = -1;
        for (int l = minLag + 1; l < score.Length - 1; l++)
            if (score[l] >= score[l - 1] && score[l] >= score[l + 1] && (best < 0 || score[l] > score[best])) best = l;
        if (best < 0 || score[best] <= 0) return new Tempo(PriorBpm, 0);
        double a = score[best - 1], b = score[best], c = score[best + 1];
        double denom = a - 2 * b + c;
        double lag = best + (Math.Abs(denom) > 1e-12 ? Math.Clamp(0.5 * (a - c) / denom, -0.5, 0.5) : 0);

        double rival = 0;
        for (int l = minLag + 1; l < score.Length - 1; l++)
        {
            if (!(score[l] >= score[l - 1] && score[l] >= score[l + 1])) continue;
            double ratio = l > lag ? l / lag : lag / l;
            double nearest = Math.Round(ratio);
            if (Math.Abs(ratio - nearest) < 0.06 * nearest) continue;   // a multiple or divisor of the beat: not a rival
            rival = Math.Max(rival, score[l]);
        }
        return new Tempo(60 * frameRate / lag, Math.Clamp(1 - rival / b, 0, 1));
    }
}
