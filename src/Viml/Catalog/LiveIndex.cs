namespace Viml.Catalog;

/// <summary>
/// A catalog's segment index that follows the catalog while it is open: each <see cref="Current"/> compares
/// the catalog's change stamp (one read of its database) with the stamp the index was loaded at, and when
/// tracks were added, removed or re-embedded since (a <c>catalog add</c> beside a running <c>serve</c>)
/// loads it again through <see cref="CatalogIndex.Open"/> (exact: rebuilt; HNSW: patched) and disposes the
/// old one. Not thread-safe: its owner serialises the calls.
/// </summary>
public sealed class LiveIndex : IDisposable
{
    readonly MusicCatalog catalog;
    readonly IndexKind kind;
    readonly string modelId;
    long stamp;

    /// <summary>The index as last loaded.</summary>
    public IVectorIndex Index { get; private set; }
    public Recommender Recommender { get; private set; }

    public LiveIndex(MusicCatalog catalog, string modelId, IndexKind kind = IndexKind.Auto)
    {
        this.catalog = catalog;
        this.kind = kind;
        this.modelId = modelId;
        stamp = catalog.ReadStamp();   // read first: a change during the load only causes one more load
        Index = CatalogIndex.Open(catalog, kind);
        Recommender = new Recommender(catalog, Index);
    }

    /// <summary>
    /// The recommender over the catalog as it is now; throws <see cref="StaleCatalogException"/> if it was
    /// re-embedded with another model.
    /// </summary>
    public Recommender Current()
    {
        long now = catalog.ReadStamp();
        if (now == stamp) return Recommender;
        catalog.EnsureCurrent(modelId);
        var index = CatalogIndex.Open(catalog, kind);
        var old = Index;
        Recommender = new Recommender(catalog, index);
        Index = index;
        stamp = now;
        old.Dispose();
        return Recommender;
    }

    public void Dispose() => Index.Dispose();
}
