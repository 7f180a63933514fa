namespace Viml.Evaluation;

/// <summary>
/// Mean, standard deviation and a 95 % Student-t interval of the mean over training seeds:
/// <c>mean ± t(0.975, n - 1) · sd / √n</c>. With one seed there is no interval (the bounds are infinite).
/// </summary>
public sealed record SeedInterval(double Mean, double Sd, int N, double Low, double High)
{
    // t(0.975, dof) for dof = 1..10; beyond that 2.0 is close enough for a verdict.
    static readonly double[] T975 = { 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228 };

    public static SeedInterval Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values");
        int n = values.Count;
        double mean = values.Average();
        if (n == 1) return new SeedInterval(mean, 0, 1, double.NegativeInfinity, double.PositiveInfinity);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        double half = (n - 1 <= T975.Length ? T975[n - 2] : 2.0) * sd / Math.Sqrt(n);
        return new SeedInterval(mean, sd, n, mean - half, mean + half);
    }

    /// <summary>"+2.1 [-0.4, +4.6]" (or "+2.1 (one seed)").</summary>
    public string Signed() => N == 1 ? $"{Mean:+0.0;-0.0} (one seed)" : $"{Mean:+0.0;-0.0} [{Low:+0.0;-0.0}, {High:+0.0;-0.0}]";

    /// <summary>"28.1 ± 1.2" (mean ± sd).</summary>
    public string MeanSd(string format = "0.0") => N == 1 ? Mean.ToString(format) : $"{Mean.ToString(format)} ± {Sd.ToString(format)}";
}
