using Viml.Encoders;
using Viml.Media;

namespace Viml.Features;

/// <summary>
/// The method's per-segment base features, defined once for training (<see cref="Extractor"/>), catalog ingest
/// and queries:
/// <list type="bullet">
/// <item>segments: <see cref="Segmenter"/> at the spec's segment length;</item>
/// <item>video: frames decoded at the spec's fps from the first segment's start; frame <c>i</c> shows the picture
///   at <c>t0 + i/fps</c> and belongs to the segment holding the middle of its interval (<see cref="FrameTime"/>);
///   the segment's feature is the plain mean of its frames' embeddings (<see cref="FrameMeans"/>);</item>
/// <item>music: mono PCM at the music encoder's rate, cut at the segment's bounds (<see cref="CutAudio"/>; silence
///   past the end of the decoded stream), embedded <see cref="MusicBatch"/> segments per encoder call
///   (<see cref="EmbedMusic"/>).</item>
/// </list>
/// </summary>
public static class SegmentFeatures
{
    /// <summary>Segments per music-encoder call: the encoder's arithmetic may depend on what it is given at once,
    /// so every caller hands it the same groups (6 x 10 s = one minute of audio).</summary>
    public const int MusicBatch = 6;

    /// <summary>The segments of a clip <c>[start, end)</c> under <paramref name="spec"/>.</summary>
    public static IReadOnlyList<Segment> Split(double start, double end, FeatureSpec spec, string? path = null) =>
        Segmenter.Split(start, end, spec.SegmentSeconds, path);

    /// <summary>The moment frame <paramref name="index"/> of a decode starting at <paramref name="t0"/> stands for:
    /// the middle of its interval.</summary>
    public static double FrameTime(double t0, int index, double fps) => t0 + (index + 0.5) / fps;

    /// <summary>The segment holding time <paramref name="t"/>, or -1 when none does.</summary>
    public static int SegmentAt(IReadOnlyList<Segment> segments, double t)
    {
        for (int i = 0; i < segments.Count; i++)
            if (t >= segments[i].Start && t < segments[i].End) return i;
        return -1;
    }

    /// <summary>
    /// The PCM of <paramref name="count"/> segments from <paramref name="first"/>, cut from <paramref name="pcm"/>
    /// (decoded from <paramref name="from"/> seconds): a segment starts at sample <c>round((start - from) * rate)</c>
    /// and is <c>round(duration * rate)</c> samples long; samples past the decoded end are silence.
    /// </summary>
    public static float[][] CutAudio(float[] pcm, double from, IReadOnlyList<Segment> segments, int first, int count, int rate)
    {
        var result = new float[count][];
        for (int k = 0; k < count; k++)
        {
            var seg = segments[first + k];
            int offset = (int)Math.Round((seg.Start - from) * rate), length = (int)Math.Round(seg.Duration * rate);
            result[k] = new float[length];
            int available = Math.Clamp(pcm.Length - offset, 0, length);
            if (available > 0) Array.Copy(pcm, offset, result[k], 0, available);
        }
        return result;
    }

    /// <summary>Music features and tag confidences of each segment's PCM, <see cref="MusicBatch"/> segments per
    /// encoder call; an encoder answering with the wrong count or size is an error naming it.</summary>
    public static MusicSegmentFeatures[] EmbedMusic(IMusicEncoder encoder, IReadOnlyList<float[]> segments)
    {
        var result = new MusicSegmentFeatures[segments.Count];
        for (int first = 0; first < segments.Count; first += MusicBatch)
        {
            int n = Math.Min(MusicBatch, segments.Count - first);
            var part = encoder.Embed(segments.Skip(first).Take(n).ToArray());
            if (part.Length != n)
                throw new InvalidOperationException($"{encoder.Name} returned {part.Length} results for {n} segments");
            for (int k = 0; k < n; k++)
            {
                var f = part[k];
                if (f.Embedding.Length != encoder.Dimension || f.Tags.Length != encoder.Tags.Count)
                    throw new InvalidOperationException($"{encoder.Name} returned {f.Embedding.Length}-d / " +
                        $"{f.Tags.Length} tags, not {encoder.Dimension} / {encoder.Tags.Count}");
                result[first + k] = f;
            }
        }
        return result;
    }
}
