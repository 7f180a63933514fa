namespace Viml.Catalog;

/// <summary>One hit of a vector search: the segment's key and its cosine similarity to the query.</summary>
public readonly record struct VectorHit(long Key, float Score);

/// <summary>How the catalog searches its segment vectors.</summary>
public enum IndexKind
{
    /// <summary>Exact below <see cref="VectorIndex.HnswThreshold"/> segments, HNSW from there on.</summary>
    Auto,
    /// <summary>Brute force over a contiguous matrix with SIMD dot products: every result is the true top-k.</summary>
    Exact,
    /// <summary>Approximate graph search (HNSW, USearch): sub-linear, recall slightly below 1.</summary>
    Hnsw,
}

/// <summary>
/// Nearest-neighbour search over L2-normalised vectors by cosine similarity (= dot product), keyed by segment id:
/// the catalog's search, apart from its store (<see cref="MusicCatalog"/>) and its ranking (<see cref="Recommender"/>).
/// Exact (<see cref="ExactIndex"/>) and HNSW (<see cref="HnswIndex"/>) behind one face.
/// </summary>
public interface IVectorIndex : IDisposable
{
    IndexKind Kind { get; }
    int Count { get; }
    int Dimension { get; }
    /// <summary>Adds a vector under a key the index does not hold yet.</summary>
    void Add(long key, ReadOnlySpan<float> vector);
    /// <summary>Drops the vector of <paramref name="key"/>; false when the index does not hold it.</summary>
    bool Remove(long key);
    /// <summary>The <paramref name="k"/> most similar vectors, best first.</summary>
    VectorHit[] Search(ReadOnlySpan<float> query, int k);
    /// <summary>Writes the index atomically (temp file, then rename). <paramref name="stamp"/> is the database change the
    /// vectors reflect: the exact index keeps it inside the file, an HNSW graph's file name carries it (<see cref="CatalogIndex"/>).</summary>
    void Save(string path, long stamp);
}

public static class VectorIndex
{
    /// <summary>
    /// Segments from which <see cref="IndexKind.Auto"/> picks HNSW. Exact search streams every vector
    /// (about 1 GB per query at 1M segments of d=256): at 100k segments it costs ~10 ms on one core,
    /// still interactive and without any approximation, past that it grows linearly.
    /// </summary>
    public const int HnswThreshold = 100_000;

    public static IndexKind Resolve(IndexKind kind, int count) =>
        kind != IndexKind.Auto ? kind : count >= HnswThreshold ? IndexKind.Hnsw : IndexKind.Exact;
}
