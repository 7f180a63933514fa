using System.Diagnostics;

namespace Viml.Catalog;

/// <summary>A ranked list and the query that produced it.</summary>
public sealed record RecommendResult(IReadOnlyList<Recommendation> Items, QueryEmbedding Query)
{
    /// <summary>Tempo, pace fit and suggested start of the items whose tracks have stored rhythm, by track id.</summary>
    public IReadOnlyDictionary<long, TrackRhythm> Rhythm { get; init; } = new Dictionary<long, TrackRhythm>();
}

/// <summary>
/// The whole recommend path over one catalog: video and/or text → query embedding → segment search →
/// ranked tracks. Refuses a catalog whose vectors come from another model. One query at a time
/// (the encoders hold native sessions); the CLI and the web app share it.
/// </summary>
public sealed class RecommendService : IDisposable
{
    readonly VideoQuery _query;
    readonly Recommender _recommender;
    readonly object _gate = new();
    public MusicCatalog Catalog { get; }
    public ICatalogModel Model { get; }
    public IVectorIndex Index { get; }

    public RecommendService(MusicCatalog catalog, QueryParts parts, IndexKind kind = IndexKind.Auto)
    {
        catalog.EnsureCurrent(parts.Model.Id);
        Catalog = catalog; Model = parts.Model;
        _query = new VideoQuery(parts);
        Index = CatalogIndex.Open(catalog, kind);
        _recommender = new Recommender(catalog, Index);
    }

    public RecommendResult Recommend(string? videoPath, string? text, RecommendOptions options, CancellationToken ct = default,
        RhythmOptions? rhythm = null)
    {
        options.Validate();
        rhythm?.Validate();
        lock (_gate)
        {
            var q = _query.Embed(videoPath, text, ct);
            var sw = Stopwatch.StartNew();
            var wide = rhythm is null ? options : options with { Top = PaceRanking.Widen(options.Top, rhythm) };
            var items = _recommender.Recommend(q.Vector, wide);
            var result = new RecommendResult(items, q with { Timings = q.Timings with { Search = sw.Elapsed } });
            return rhythm is null ? result : PaceRanking.Apply(Catalog, result, rhythm, options.Top);
        }
    }

    public void Dispose() => Index.Dispose();
}
