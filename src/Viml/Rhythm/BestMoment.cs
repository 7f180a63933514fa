namespace Viml.Rhythm;

/// <summary>
/// Where to start a piece under a video: near <c>preferred</c> (the start of the best-matching segment), on a bar
/// start, and, when the video has a cut, shifted so that a bar start lands exactly on the video's first cut
/// (the music starts <c>firstCut</c> seconds before that bar). Without beats the preferred time is kept.
/// </summary>
public static class BestMoment
{
    public static double Start(RhythmAnalysis? rhythm, double preferred, double? firstCut, double trackSeconds)
    {
        if (rhythm is null || rhythm.Downbeats.Length == 0) return preferred;
        double cut = firstCut ?? 0;
        double best = preferred, bestGap = double.MaxValue;
        foreach (var bar in rhythm.Downbeats)
        {
            double start = bar - cut;
            if (start < 0 || start >= trackSeconds) continue;
            double gap = Math.Abs(start - preferred);
            if (gap < bestGap) { best = start; bestGap = gap; }
        }
        return best;
    }
}
