using Viml.Encoders;

namespace Viml.Catalog;

/// <summary>The mean base music features of an audio file outside the catalog (for "more like this").</summary>
public static class LikeFile
{
    public static float[] Features(IMusicEncoder music, string path, CancellationToken ct = default)
    {
        var parts = CatalogParts.Ingest(new BaseMusicModel(music.Name, music.Dimension), music);
        var record = CatalogIngest.AnalyseFile(parts, path, ct);
        return LikeSearch.Mean(record.Segments.Select(s => s.Features).ToArray());
    }
}
