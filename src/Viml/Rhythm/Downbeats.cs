namespace Viml.Rhythm;

/// <summary>
/// Bar starts among the beats, assuming four beats to the bar: of the four ways to group the beats, the one whose
/// first beats carry the most new sound (bass onsets, where kicks and bass notes land, plus broadband onsets,
/// where chords change) is taken.
/// </summary>
public static class Downbeats
{
    public const int BeatsPerBar = 4;

    public static double[] Find(OnsetEnvelope onsets, IReadOnlyList<double> beats)
    {
        if (beats.Count == 0) return [];
        double bassScale = Scale(onsets.Bass), allScale = Scale(onsets.Strength);
        var salience = beats.Select(b => Peak(onsets.Bass, onsets, b) / bassScale + Peak(onsets.Strength, onsets, b) / allScale).ToArray();
        int bestPhase = 0;
        double bestScore = double.NegativeInfinity;
        for (int phase = 0; phase < BeatsPerBar && phase < beats.Count; phase++)
        {
            double sum = 0; int count = 0;
            for (int i = phase; i < beats.Count; i += BeatsPerBar) { sum += salience[i]; count++; }
            double mean = sum / count;
            if (mean > bestScore + 1e-9) { bestScore = mean; bestPhase = phase; }
        }
        var result = new List<double>();
        for (int i = bestPhase; i < beats.Count; i += BeatsPerBar) result.Add(beats[i]);
        return result.ToArray();
    }

    /// <summary>Largest value within 50 ms of the beat.</summary>
    static double Peak(float[] x, OnsetEnvelope e, double time)
    {
        int c = (int)Math.Round(time * e.FrameRate), r = (int)Math.Ceiling(0.05 * e.FrameRate);
        double best = 0;
        for (int i = Math.Max(0, c - r); i <= Math.Min(x.Length - 1, c + r); i++) best = Math.Max(best, x[i]);
        return best;
    }

    static double Scale(float[] x)
    {
        double m = x.Length == 0 ? 0 : x.Average(v => (double)v);
        return m > 1e-9 ? m : 1;
    }
}
