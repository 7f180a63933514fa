namespace Viml.Rhythm;

/// <summary>
/// The rhythm of a piece: tempo in BPM with a confidence in [0, 1], beat and downbeat (bar start) times in seconds,
/// and an energy curve: the loudness in dBFS of each <see cref="EnergyHop"/>-second step.
/// </summary>
public sealed record RhythmAnalysis(double Bpm, double Confidence, double[] Beats, double[] Downbeats, float[] Energy, double EnergyHop)
{
    /// <summary>Steps of the energy curve, in seconds.</summary>
    public const double DefaultEnergyHop = 0.5;

    /// <summary>Tempo of a stretch from the median interval between its beats (the whole-piece BPM when it holds too few).</summary>
    public double BpmBetween(double start, double end)
    {
        var inside = Beats.Where(b => b >= start && b < end).ToArray();
        if (inside.Length < 3) return Bpm;
        var gaps = inside.Zip(inside.Skip(1), (a, b) => b - a).Order().ToArray();
        double g = gaps[gaps.Length / 2];
        return g > 0 ? 60 / g : Bpm;
    }

    /// <summary>Mean loudness (dBFS) of a stretch.</summary>
    public double EnergyBetween(double start, double end)
    {
        int a = Math.Max(0, (int)Math.Floor(start / EnergyHop)), b = Math.Min(Energy.Length, (int)Math.Ceiling(end / EnergyHop));
        if (b <= a) return Energy.Length == 0 ? -100 : Energy.Average(v => (double)v);
        double sum = 0;
        for (int i = a; i < b; i++) sum += Energy[i];
        return sum / (b - a);
    }
}

/// <summary>Onsets → tempo → beats → downbeats, plus the energy curve, from mono PCM.</summary>
public static class RhythmAnalyzer
{
    /// <summary>The rate audio is decoded at when nothing else needs it (the music encoder's rate, so one decode serves both).</summary>
    public const int SampleRate = 16000;

    public static RhythmAnalysis Analyse(ReadOnlySpan<float> pcm, int sampleRate)
    {
        var onsets = OnsetStrength.Compute(pcm, sampleRate);
        var tempo = TempoEstimator.Estimate(onsets);
        var beats = BeatTracker.Track(onsets, tempo);
        var downbeats = Downbeats.Find(onsets, beats);
        return new RhythmAnalysis(tempo.Bpm, tempo.Confidence, beats, downbeats, Energy(onsets, RhythmAnalysis.DefaultEnergyHop), RhythmAnalysis.DefaultEnergyHop);
    }

    /// <summary>Mean power per step, in dBFS (floored at -100).</summary>
    static float[] Energy(OnsetEnvelope e, double hop)
    {
        int per = Math.Max(1, (int)Math.Round(hop * e.FrameRate));
        int steps = (e.Loudness.Length + per - 1) / per;
        var result = new float[steps];
        for (int s = 0; s < steps; s++)
        {
            double power = 0; int count = 0;
            for (int i = s * per; i < Math.Min(e.Loudness.Length, (s + 1) * per); i++) { power += Math.Pow(10, e.Loudness[i] / 10); count++; }
            result[s] = (float)Math.Max(-100, 10 * Math.Log10(Math.Max(1e-10, power / Math.Max(1, count))));
        }
        return result;
    }
}
