namespace Viml.Catalog;

/// <summary>Everything stored for one analysed audio file, written in one transaction.</summary>
public sealed record TrackRecord(
    string Path, string Hash, long Size, long ModifiedTicks, TrackMetadata Metadata,
    IReadOnlyList<SegmentRecord> Segments, float[] Embedding, float[] Tags, string ModelId)
{
    /// <summary>Tempo, beats, downbeats and energy, stored beside the track by <see cref="RhythmStore"/> (null: none).</summary>
    public Viml.Rhythm.RhythmAnalysis? Rhythm { get; init; }
}

/// <summary>One segment of a track: where it is, its base music features, tag confidences and embedding.</summary>
public sealed record SegmentRecord(double Start, double End, float[] Features, float[] Tags, float[] Embedding);
