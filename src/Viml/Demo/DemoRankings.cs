using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Demo;

/// <summary>
/// The demo catalog's full ranking (every track, best first) for the query video alone and with each sentence,
/// from the same model, catalog, encoders and steering as its <c>recommend</c> steps: the numbers the demo's
/// closing summary reports.
/// </summary>
public static class DemoRankings
{
    /// <summary>One ranking per text (null = the video alone), in the order given. <paramref name="steering"/> is
    /// what <c>recommend</c>'s options make of it (the text knob, the music-only filter); the demo's steps give none,
    /// so the demo passes <see cref="Steering.Default"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<Recommendation>> Rank(DemoPaths paths, string checkpoint, double fps,
        IReadOnlyList<string?> texts, Steering steering, CancellationToken ct = default)
    {
        var catalog = MusicCatalog.Open(paths.Catalog);
        using var model = new TrainedCatalogModel(checkpoint);
        using var frames = EncoderRegistry.CreateFrameEncoder();
        using var text = EncoderRegistry.CreateTextEncoder();
        using var service = new RecommendService(catalog, CatalogParts.Query(model, frames, text, fps));
        var options = new RecommendOptions(Top: Math.Clamp(catalog.CountTracks(), 1, 1000));
        return texts.Select(t => service.Recommend(paths.QueryVideo, t, options, steering, ct).Items).ToList();
    }

    /// <summary>The tracks' paths of each ranking, best first.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Paths(IReadOnlyList<IReadOnlyList<Recommendation>> rankings) =>
        rankings.Select(r => (IReadOnlyList<string>)r.Select(i => i.Track.Path).ToList()).ToList();
}
