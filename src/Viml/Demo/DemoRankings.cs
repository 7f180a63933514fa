using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Demo;

/// <summary>
/// The demo catalog's full ranking (every track, best first) for the query video alone and with each sentence,
/// from the same model, catalog and encoders its <c>recommend</c> steps used: the numbers the demo's closing
/// summary reports.
/// </summary>
public static class DemoRankings
{
    /// <summary>One ranking of track paths per text (null = the video alone), in the order given.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rank(DemoPaths paths, string checkpoint, double fps,
        IReadOnlyList<string?> texts, CancellationToken ct = default)
    {
        var catalog = MusicCatalog.Open(paths.Catalog);
        using var model = new TrainedCatalogModel(checkpoint);
        using var frames = EncoderRegistry.CreateFrameEncoder();
        using var text = EncoderRegistry.CreateTextEncoder();
        using var service = new RecommendService(catalog, CatalogParts.Query(model, frames, text, fps));
        var options = new RecommendOptions(Top: Math.Clamp(catalog.CountTracks(), 1, 1000));
        return texts.Select(t => (IReadOnlyList<string>)service.Recommend(paths.QueryVideo, t, options, ct).Items
            .Select(i => i.Track.Path).ToList()).ToList();
    }
}
