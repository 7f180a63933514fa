namespace Viml.Catalog;

/// <summary>A track as the catalog knows it.</summary>
public sealed record CatalogTrack(long Id, string Path, string Hash, TrackMetadata Metadata, int Segments, string? ModelId);

/// <summary>A tag of a track with its mean confidence over the track's segments.</summary>
public sealed record TrackTag(string Name, float Confidence);
