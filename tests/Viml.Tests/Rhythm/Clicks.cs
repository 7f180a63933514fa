namespace Viml.Tests.Rhythm;

/// <summary>Click tracks made in code: short decaying tone bursts at known times, every fourth one accented.</summary>
static class Clicks
{
    public const int Rate = 16000;

    public static double[] Times(double bpm, double seconds, double first = 0.5)
    {
        var t = new List<double>();
        for (double x = first; x < seconds - 0.2; x += 60 / bpm) t.Add(x);
        return t.ToArray();
    }

    /// <summary>PCM with a click at each time; clicks whose index is a multiple of 4 are louder and lower (bar starts).</summary>
    public static float[] Render(IReadOnlyList<double> times, double seconds, int seed = 1)
    {
        var pcm = new float[(int)(seconds * Rate)];
        var rng = new Random(seed);
        for (int i = 0; i < pcm.Length; i++) pcm[i] = (float)(0.002 * (rng.NextDouble() - 0.5));
        for (int k = 0; k < times.Count; k++)
        {
            bool accent = k % 4 == 0;
            double hz = accent ? 80 : 1200, amp = accent ? 0.9 : 0.4;
            int start = (int)(times[k] * Rate);
            for (int i = 0; i < Rate / 20 && start + i < pcm.Length; i++)
                pcm[start + i] += (float)(amp * Math.Exp(-i / (0.01 * Rate)) * Math.Sin(2 * Math.PI * hz * i / Rate));
        }
        return pcm;
    }
}
