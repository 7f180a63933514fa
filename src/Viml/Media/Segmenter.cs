namespace Viml.Media;

/// <summary>A stretch of an item's timeline, in seconds from the start of its file.</summary>
public sealed record Segment(double Start, double End)
{
    public double Duration => End - Start;
}

/// <summary>
/// Cuts an item into the method's segments: full <c>segmentSeconds</c> segments from the start; a tail of at
/// least half a segment is kept as a shorter last segment, a shorter tail is dropped; an item shorter than one
/// segment but at least <see cref="MediaLimits.MinSeconds"/> long is one segment; a shorter item is refused.
/// </summary>
public static class Segmenter
{
    const double Epsilon = 1e-6; // 29.9999999 s counts as 30 s

    public static IReadOnlyList<Segment> Split(double start, double end, double segmentSeconds = 10, string? path = null)
    {
        if (!(segmentSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(segmentSeconds), segmentSeconds, "must be positive");
        if (!double.IsFinite(start) || !double.IsFinite(end) || start < 0)
            throw new ArgumentOutOfRangeException(nameof(start), $"{start}-{end}: not a time range");
        double length = end - start;
        if (length + Epsilon < MediaLimits.MinSeconds)
            throw new MediaException(path ?? $"clip {start:0.###}-{end:0.###} s",
                $"too short ({Math.Max(0, length):0.###} s; an item needs at least {MediaLimits.MinSeconds:0.#} s)");
        if (length + Epsilon < segmentSeconds) return [new Segment(start, end)];

        int full = (int)Math.Floor((length + Epsilon) / segmentSeconds);
        var segments = new List<Segment>(full + 1);
        for (int i = 0; i < full; i++) segments.Add(new Segment(start + i * segmentSeconds, start + (i + 1) * segmentSeconds));
        double tailStart = start + full * segmentSeconds;
        if (end - tailStart + Epsilon >= segmentSeconds / 2) segments.Add(new Segment(tailStart, end));
        return segments;
    }
}
