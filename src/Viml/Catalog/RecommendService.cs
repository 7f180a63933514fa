using System.Diagnostics;

namespace Viml.Catalog;

/// <summary>A ranked list and the query that produced it.</summary>
public sealed record RecommendResult(IReadOnlyList<Recommendation> Items, QueryEmbedding Query);

/// <summary>
/// The whole recommend path over one catalog: video and/or text → query embedding → segment search →
/// ranked tracks. Refuses a catalog whose vectors come from another model. One query at a time
/// (the encoders hold native sessions); the CLI and the web app share it.
/// </summary>
public sealed class RecommendService : IDisposable
{
    readonly VideoQuery _query;
    readonly LiveIndex _live;
    readonly object _gate = new();
    public MusicCatalog Catalog { get; }
    public ICatalogModel Model { get; }
    /// <summary>The index as last loaded; reloaded by a query when the catalog changed (<see cref="LiveIndex"/>).</summary>
    public IVectorIndex Index => _live.Index;

    public RecommendService(MusicCatalog catalog, QueryParts parts, IndexKind kind = IndexKind.Auto)
    {
        catalog.EnsureCurrent(parts.Model.Id);
        Catalog = catalog; Model = parts.Model;
        _query = new VideoQuery(parts);
        _live = new LiveIndex(catalog, parts.Model.Id, kind);
    }

    public RecommendResult Recommend(string? videoPath, string? text, RecommendOptions options, CancellationToken ct = default)
    {
        options.Validate();
        lock (_gate)
        {
            var q = _query.Embed(videoPath, text, ct);
            var sw = Stopwatch.StartNew();
            var items = _live.Current().Recommend(q.Vector, options);
            return new RecommendResult(items, q with { Timings = q.Timings with { Search = sw.Elapsed } });
        }
    }

    public void Dispose() => _live.Dispose();
}
