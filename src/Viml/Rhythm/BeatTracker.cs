namespace Viml.Rhythm;

/// <summary>
/// Beat times by dynamic programming (Ellis 2007, "Beat Tracking by Dynamic Programming"): the beats are the
/// sequence of frames that maximises the onset strength at the beats minus <see cref="Tightness"/> x
/// (log of each inter-beat interval over the expected period)^2. The expected period follows the music:
/// it is the strongest lag near the global tempo in each 8-s window, so pieces that speed up or slow down
/// are followed. Weak beats at either end (before the music starts or after it ends) are trimmed.
/// </summary>
public static class BeatTracker
{
    const double BassWeight = 1.0, Tightness = 100, LocalOctaves = 0.15, WindowSeconds = 8, HopSeconds = 1;

    /// <summary>Beat times in seconds, ascending.</summary>
    public static double[] Track(OnsetEnvelope onsets, Tempo tempo)
    {
        var x = Pulse(onsets);
        int n = x.Length;
        double rate = onsets.FrameRate;
        if (n < 4 || !(tempo.Bpm > 0)) return [];
        double sd = StdDev(x);
        if (sd <= 1e-9) return [];
        var period = LocalPeriods(x, rate, 60 * rate / tempo.Bpm);

        // local score: the envelope, normalised, smoothed by a Gaussian of a 32nd of the period
        double p0 = 60 * rate / tempo.Bpm;
        var local = Smooth(x, Math.Max(1, p0 / 32), sd);

        var cum = new double[n];
        var back = new int[n];
        for (int t = 0; t < n; t++)
        {
            double p = period[t];
            int lo = (int)Math.Round(t - 2 * p), hi = (int)Math.Round(t - p / 2);
            double best = double.NegativeInfinity;
            int arg = -1;
            for (int prev = Math.Max(0, lo); prev <= hi && prev < t; prev++)
            {
                double l = Math.Log((t - prev) / p);
                double s = cum[prev] - Tightness * l * l;
                if (s > best) { best = s; arg = prev; }
            }
            cum[t] = local[t] + (arg >= 0 ? Math.Max(0, best) : 0);
            back[t] = arg >= 0 && best > 0 ? arg : -1;
        }

        // end on the last local maximum of the cumulative score that is at least half the median of the maxima
        var maxima = new List<int>();
        for (int t = 1; t < n - 1; t++) if (cum[t] >= cum[t - 1] && cum[t] >= cum[t + 1]) maxima.Add(t);
        if (maxima.Count == 0) return [];
        double median = maxima.Select(t => cum[t]).Order().ElementAt(maxima.Count / 2);
        int end = maxima.Last(t => cum[t] >= 0.5 * median);
        var beats = new List<int>();
        for (int t = end; t >= 0; t = back[t]) beats.Add(t);
        beats.Reverse();
        return Trim(beats, local).Select(b => b / rate).ToArray();
    }

    /// <summary>Expected beat period (frames) at each frame: the autocorrelation peak in each window, searched
    /// within a fraction of an octave of the global period, interpolated between window centres.</summary>
    static double[] LocalPeriods(float[] x, double rate, double global)
    {
        int n = x.Length, win = (int)(WindowSeconds * rate), hop = (int)(HopSeconds * rate);
        var result = new double[n];
        if (n < win + hop) { Array.Fill(result, global); return result; }
        var centres = new List<(double Centre, double Period)>();
        int lo = (int)Math.Floor(global * Math.Pow(2, -LocalOctaves)), hi = (int)Math.Ceiling(global * Math.Pow(2, LocalOctaves));
        hi = Math.Min(hi, win / 2);
        for (int s = 0; s + win <= n; s += hop)
        {
            var seg = x.AsSpan(s, win);
            double mean = 0;
            foreach (var v in seg) mean += v;
            mean /= win;
            int arg = -1; double best = double.NegativeInfinity;
            double[] acf = new double[hi + 2];
            for (int lag = Math.Max(1, lo - 1); lag <= hi + 1 && lag < win; lag++)
            {
                double sum = 0;
                for (int i = lag; i < win; i++) sum += (seg[i] - mean) * (seg[i - lag] - mean);
                acf[lag] = sum / (win - lag);
            }
            for (int lag = Math.Max(1, lo); lag <= hi; lag++)
            {
                double v = acf[lag] * TempoEstimator.Prior(lag, global, LocalOctaves);
                if (v > best) { best = v; arg = lag; }
            }
            double refined = arg;
            if (arg > 1 && arg + 1 < acf.Length)
            {
                double a = acf[arg - 1], b = acf[arg], c = acf[arg + 1], d = a - 2 * b + c;
                if (Math.Abs(d) > 1e-12) refined += Math.Clamp(0.5 * (a - c) / d, -0.5, 0.5);
            }
            centres.Add((s + win / 2.0, best > 0 ? refined : global));
        }
        for (int t = 0, j = 0; t < n; t++)
        {
            while (j + 1 < centres.Count && centres[j + 1].Centre <= t) j++;
            if (t <= centres[0].Centre) result[t] = centres[0].Period;
            else if (j + 1 >= centres.Count) result[t] = centres[^1].Period;
            else
            {
                double f = (t - centres[j].Centre) / (centres[j + 1].Centre - centres[j].Centre);
                result[t] = centres[j].Period + f * (centres[j + 1].Period - centres[j].Period);
            }
        }
        return result;
    }

    static double[] Smooth(float[] x, double sigma, double sd)
    {
        int radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++) kernel[i + radius] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        var y = new double[x.Length];
        for (int t = 0; t < x.Length; t++)
        {
            double s = 0;
            for (int i = -radius; i <= radius; i++)
            {
                int k = t + i;
                if (k >= 0 && k < x.Length) s += kernel[i + radius] * x[k];
            }
            y[t] = s / sd;
        }
        return y;
    }

    /// <summary>Drops beats at either end whose local score is below half the RMS of the score at the beats.</summary>
    static IEnumerable<int> Trim(List<int> beats, double[] local)
    {
        if (beats.Count < 3) return beats;
        double rms = Math.Sqrt(beats.Average(b => local[b] * local[b]));
        int first = 0, last = beats.Count - 1;
        while (first < last && local[beats[first]] < 0.5 * rms) first++;
        while (last > first && local[beats[last]] < 0.5 * rms) last--;
        return beats.GetRange(first, last - first + 1);
    }

    /// <summary>Broadband onset strength plus bass onset strength, each scaled to unit mean: kicks and bass notes
    /// mark the beat where off-beat hi-hats and chords would pull the tracker half a beat away.</summary>
    static float[] Pulse(OnsetEnvelope e)
    {
        double a = Math.Max(1e-9, e.Strength.Average(v => (double)v)), b = Math.Max(1e-9, e.Bass.Average(v => (double)v));
        var x = new float[e.Strength.Length];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(e.Strength[i] / a + BassWeight * e.Bass[i] / b);
        return x;
    }

    static double StdDev(float[] x)
    {
        double mean = 0, sq = 0;
        foreach (var v in x) mean += v;
        mean /= x.Length;
        foreach (var v in x) sq += (v - mean) * (v - mean);
        return Math.Sqrt(sq / x.Length);
    }
}
