namespace Viml.Rhythm;

/// <summary>The usual beat-tracking measures (MIREX): tempo accuracy and beat F-measure.</summary>
public static class BeatEvaluation
{
    /// <summary>Default tolerance of <see cref="FMeasure"/>: a detected beat within 70 ms of a true one is a hit.</summary>
    public const double Tolerance = 0.07;

    /// <summary>Whether an estimated tempo is within <paramref name="relative"/> of the truth ("acc1"),
    /// or, with <paramref name="octaves"/>, of twice, half, three times or a third of it ("acc2").</summary>
    public static bool TempoCorrect(double estimated, double truth, bool octaves, double relative = 0.04)
    {
        double[] factors = octaves ? [1, 2, 0.5, 3, 1.0 / 3] : [1];
        return factors.Any(f => Math.Abs(estimated - truth * f) <= relative * truth * f);
    }

    /// <summary>F-measure of detected beats against true ones, each true beat matched at most once.</summary>
    public static double FMeasure(IReadOnlyList<double> detected, IReadOnlyList<double> truth, double tolerance = Tolerance)
    {
        if (detected.Count == 0 && truth.Count == 0) return 1;
        if (detected.Count == 0 || truth.Count == 0) return 0;
        var used = new bool[truth.Count];
        int hits = 0;
        foreach (var d in detected)
        {
            int best = -1; double bestGap = tolerance;
            for (int i = 0; i < truth.Count; i++)
            {
                double gap = Math.Abs(truth[i] - d);
                if (!used[i] && gap <= bestGap) { best = i; bestGap = gap; }
            }
            if (best >= 0) { used[best] = true; hits++; }
        }
        double p = (double)hits / detected.Count, r = (double)hits / truth.Count;
        return p + r > 0 ? 2 * p * r / (p + r) : 0;
    }
}
