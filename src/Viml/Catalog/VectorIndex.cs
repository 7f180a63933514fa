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

/// <summary>Nearest-neighbour search over L2-normalised vectors by cosine similarity (= dot product).</summary>
public interface IVectorIndex : IDisposable
{
    IndexKind Kind { get; }
    int Count { get; }
    int Dimension { get; }
    /// <summary>The <paramref name="k"/> most similar vectors, best first.</summary>
    VectorHit[] Search(ReadOnlySpan<float> query, int k);
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
