namespace Viml.Rhythm;

/// <summary>
/// How well a piece's pace suits a video's. Both are put on one 0..1 scale: a video's pace from its cuts per minute
/// (log scale, 40 a minute = 1) and motion (0.3 of the grey range per second = 1); a piece's from its tempo
/// (log scale, 60 BPM = 0, 180 BPM = 1) and loudness (-35 dBFS = 0, -10 dBFS = 1). The fit is 1 minus their distance.
/// </summary>
public static class PaceMatch
{
    public static double VideoPace(VideoPace p) =>
        Clamp(0.6 * Math.Log2(1 + p.CutsPerMinute) / Math.Log2(41) + 0.4 * Clamp(p.Motion / 0.3));

    public static double MusicPace(double bpm, double loudnessDb) =>
        Clamp(0.7 * Math.Log2(Math.Max(1, bpm) / 60) / Math.Log2(3) + 0.3 * Clamp((loudnessDb + 35) / 25));

    public static double Fit(VideoPace video, double bpm, double loudnessDb) => 1 - Math.Abs(VideoPace(video) - MusicPace(bpm, loudnessDb));

    static double Clamp(double x) => double.IsFinite(x) ? Math.Clamp(x, 0, 1) : 0;
}
