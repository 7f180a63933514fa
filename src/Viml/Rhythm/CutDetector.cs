namespace Viml.Rhythm;

/// <summary>
/// Finds shot cuts in frames sampled at a steady rate (the frames a query decodes anyway, so no extra decoding).
/// Each frame is reduced to a 64-bin colour histogram and a 16x16 grey thumbnail; the distance of two frames
/// mixes their histogram distance (blind to camera moves) and thumbnail change. A hard cut is a boundary where
/// every pair of frames across it, up to two frames on each side, differs (so a flash, whose neighbours agree,
/// is not a cut); a gradual cut (fade, dissolve, fade through black) is a boundary where frames about
/// <see cref="GradualSeconds"/> apart on either side differ most within that reach. Feed frames in time order with
/// <see cref="Add"/>; a gap in time (sampled stretches of a long video) starts a new run, and no cut is looked for
/// across it. <see cref="Finish"/> returns the cuts and motion.
/// </summary>
public sealed class CutDetector(double fps, double hardThreshold = CutDetector.HardThreshold,
    double gradualThreshold = CutDetector.GradualThreshold)
{
    public const double HardThreshold = 0.30, GradualThreshold = 0.38, GradualSeconds = 0.6;
    const double SettledDistance = 0.12, MaxTransitionSeconds = 2;
    const int Grid = 16, Bins = 4;

    sealed record Frame(double Time, int Run, float[] Histogram, float[] Thumb);

    readonly List<Frame> _frames = [];
    int _run;

    public int Count => _frames.Count;

    /// <summary>Adds an RGB24 frame shown at <paramref name="time"/> seconds.</summary>
    public void Add(double time, ReadOnlySpan<byte> rgb, int width, int height)
    {
        if (rgb.Length < width * height * 3) throw new ArgumentException($"an RGB frame of {width}x{height} needs {width * height * 3} bytes");
        if (_frames.Count > 0 && (time <= _frames[^1].Time || time - _frames[^1].Time > 1.5 / fps)) _run++;
        var hist = new float[Bins * Bins * Bins];
        var thumb = new float[Grid * Grid];
        var counts = new int[Grid * Grid];
        int step = Math.Max(1, Math.Min(width, height) / 64);
        int samples = 0;
        for (int y = 0; y < height; y += step)
        {
            int gy = y * Grid / height;
            for (int x = 0; x < width; x += step)
            {
                int i = (y * width + x) * 3;
                byte r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
                hist[(r >> 6) * Bins * Bins + (g >> 6) * Bins + (b >> 6)]++;
                int cell = gy * Grid + x * Grid / width;
                thumb[cell] += (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
                counts[cell]++;
                samples++;
            }
        }
        for (int i = 0; i < hist.Length; i++) hist[i] /= samples;
        for (int i = 0; i < thumb.Length; i++) thumb[i] = counts[i] > 0 ? thumb[i] / counts[i] : 0;
        _frames.Add(new Frame(time, _run, hist, thumb));
    }

    /// <summary>Histogram distance (half the L1 distance, 0..1) and mean absolute thumbnail change (0..1).</summary>
    static (double Hist, double Pixels) Parts(Frame a, Frame b)
    {
        double h = 0, p = 0;
        for (int i = 0; i < a.Histogram.Length; i++) h += Math.Abs(a.Histogram[i] - b.Histogram[i]);
        for (int i = 0; i < a.Thumb.Length; i++) p += Math.Abs(a.Thumb[i] - b.Thumb[i]);
        return (h / 2, p / a.Thumb.Length);
    }

    static double Distance(Frame a, Frame b)
    {
        var (h, p) = Parts(a, b);
        return 0.6 * h + 0.4 * Math.Min(1, 3 * p);
    }

    /// <summary>Cuts and motion; <paramref name="segments"/> (seconds) get a motion each (0 when no frame falls in one).</summary>
    public VideoPace Finish(IReadOnlyList<(double Start, double End)>? segments = null)
    {
        var f = _frames;
        int n = f.Count;
        int w = Math.Max(1, (int)Math.Round(GradualSeconds * fps));
        bool SameRun(int a, int b) => a >= 0 && b < n && f[a].Run == f[b].Run;

        var hard = new double[n];
        var gradual = new double[n];
        for (int k = 1; k < n; k++)
        {
            if (!SameRun(k - 1, k)) continue;
            double min = double.MaxValue;
            for (int a = k - 1; a >= k - 2; a--)
                for (int b = k; b <= k + 1; b++)
                    if (SameRun(a, b)) min = Math.Min(min, Distance(f[a], f[b]));
            hard[k] = min;
            double g = double.MaxValue;
            for (int s = 0; s <= 1; s++)
                if (SameRun(k - 1 - w - s, k + w - s)) g = Math.Min(g, Distance(f[k - 1 - w - s], f[k + w - s]));
            gradual[k] = g == double.MaxValue ? 0 : g;
        }
        // a cut spans boundaries first..last: one boundary for a hard cut, several for a transition whose frames never settle
        var cuts = new List<(int First, int Last)>();
        for (int k = 1; k < n; k++)
        {
            bool isHard = hard[k] > hardThreshold && hard[k] >= (k + 1 < n ? hard[k + 1] : 0) && hard[k] >= hard[k - 1];
            bool isGradual = !isHard && gradual[k] > gradualThreshold && LocalMax(gradual, k, w);
            if (!isHard && !isGradual) continue;
            if (cuts.Count > 0 && f[cuts[^1].Last].Run == f[k].Run && (k - cuts[^1].Last <= w || (k - cuts[^1].First) / fps <= MaxTransitionSeconds && Unsettled(cuts[^1].Last, k)))
            {
                cuts[^1] = (cuts[^1].First, k);   // the same transition seen twice
                continue;
            }
            cuts.Add((k, k));
        }
        var cutSet = cuts.SelectMany(c => Enumerable.Range(c.First, c.Last - c.First + 1)).ToHashSet();
        double Motion(double from, double to)
        {
            double sum = 0, seconds = 0;
            for (int k = 1; k < n; k++)
            {
                if (!SameRun(k - 1, k) || cutSet.Contains(k) || f[k].Time < from || f[k].Time >= to) continue;
                sum += Parts(f[k - 1], f[k]).Pixels;
                seconds += f[k].Time - f[k - 1].Time;
            }
            return seconds > 0 ? sum / seconds : 0;
        }
        double seen = 0;
        for (int k = 0; k < n; k++) seen += k > 0 && SameRun(k - 1, k) ? f[k].Time - f[k - 1].Time : 1 / fps;
        var segMotion = (segments ?? []).Select(s => Motion(s.Start, s.End)).ToArray();
        return new VideoPace(cuts.Select(c => (f[c.First - 1].Time + f[c.Last].Time) / 2).ToArray(), seen, Motion(double.NegativeInfinity, double.PositiveInfinity), segMotion);
    }

    /// <summary>Whether every frame from <paramref name="from"/> to <paramref name="to"/> differs from the one before it
    /// (a fade or dissolve in progress, not a settled shot between two cuts).</summary>
    bool Unsettled(int from, int to)
    {
        for (int j = from + 1; j <= to; j++)
            if (Distance(_frames[j - 1], _frames[j]) < SettledDistance) return false;
        return true;
    }

    static bool LocalMax(double[] x, int k, int reach)
    {
        for (int j = Math.Max(1, k - reach); j <= Math.Min(x.Length - 1, k + reach); j++)
            if (x[j] > x[k] || (x[j] == x[k] && j < k)) return false;
        return true;
    }
}
