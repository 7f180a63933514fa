namespace Viml.Rhythm;

/// <summary>
/// The pace of a video: shot cuts (times in seconds, hard cuts and gradual ones such as fades and dissolves),
/// cuts per minute, and motion energy (mean absolute change of a small grey thumbnail per second, as a fraction of
/// the full grey range) overall and per segment. <see cref="Seconds"/> is how much of the video was seen.
/// </summary>
public sealed record VideoPace(double[] Cuts, double Seconds, double Motion, double[] SegmentMotion)
{
    public double CutsPerMinute => Seconds > 0 ? Cuts.Length * 60 / Seconds : 0;

    /// <summary>The first cut, or null when the video is one shot.</summary>
    public double? FirstCut => Cuts.Length > 0 ? Cuts[0] : null;
}
