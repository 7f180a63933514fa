using Viml.Media;

namespace Viml.Features;

/// <summary>
/// The video feature of segments: the mean of the embeddings of the frames each one holds. Frames are added in
/// decode order (the decode starting at the first segment's start, at <c>fps</c>); frame <c>i</c> goes to the
/// segment holding <see cref="SegmentFeatures.FrameTime"/>, or nowhere when none does. Sums are kept in double
/// and divided once, so the result does not depend on how the frames were batched.
/// </summary>
public sealed class FrameMeans
{
    readonly IReadOnlyList<Segment> _segments;
    readonly double[][] _sums;
    readonly int[] _counts;
    readonly double _fps;
    readonly int _dimension;

    public FrameMeans(IReadOnlyList<Segment> segments, int dimension, double fps)
    {
        if (segments.Count == 0) throw new ArgumentException("no segments", nameof(segments));
        _segments = segments;
        _dimension = dimension;
        _fps = fps;
        _sums = new double[segments.Count][];
        for (int i = 0; i < _sums.Length; i++) _sums[i] = new double[dimension];
        _counts = new int[segments.Count];
    }

    /// <summary>Frames added so far.</summary>
    public int Frames { get; private set; }

    /// <summary>Frames the segment holds so far.</summary>
    public int CountIn(int segment) => _counts[segment];

    /// <summary>Adds the next frame's embedding; returns the segment it went to (-1: none).</summary>
    public int Add(ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != _dimension)
            throw new InvalidOperationException($"a {embedding.Length}-d frame embedding, not {_dimension}-d");
        int seg = SegmentFeatures.SegmentAt(_segments, SegmentFeatures.FrameTime(_segments[0].Start, Frames, _fps));
        Frames++;
        if (seg < 0) return -1;
        var sum = _sums[seg];
        for (int d = 0; d < sum.Length; d++) sum[d] += embedding[d];
        _counts[seg]++;
        return seg;
    }

    /// <summary>The segment's video feature, or null when it holds no frame.</summary>
    public float[]? Mean(int segment)
    {
        int n = _counts[segment];
        if (n == 0) return null;
        var mean = new float[_dimension];
        for (int d = 0; d < mean.Length; d++) mean[d] = (float)(_sums[segment][d] / n);
        return mean;
    }
}
