using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;
using Viml.IO;

namespace Viml.Catalog;

/// <summary>
/// HNSW graph parameters (USearch). Measured at 1M low-rank 256-d unit vectors (the index bench, docs/catalog.md):
/// search expansion 160 answers in 4.7 ms at recall@10 0.985; 256 in 6.3-7.3 ms at 0.996.
/// </summary>
public sealed record HnswOptions(int Connectivity = 32, int ExpansionAdd = 200, int ExpansionSearch = 160);

/// <summary>
/// Approximate search with a USearch HNSW graph over cosine distance; keys are the segments' ids.
/// Saved to a temp name and renamed, so a reader sees the old graph or the whole new one.
/// </summary>
public sealed class HnswIndex : IVectorIndex
{
    readonly USearchIndex _index;
    public IndexKind Kind => IndexKind.Hnsw;
    public int Dimension { get; }
    public int Count => checked((int)_index.Size());
    public HnswOptions Options { get; private set; }

    /// <summary>Candidates kept while searching (USearch's ef): higher is slower and finds more of the true neighbours.</summary>
    public int ExpansionSearch
    {
        get => Options.ExpansionSearch;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "the search expansion must be at least 1");
            SetExpansionSearch(value);
            Options = Options with { ExpansionSearch = value };
        }
    }

    HnswIndex(USearchIndex index, int dimension, HnswOptions options)
    {
        _index = index; Dimension = dimension; Options = options;
        SetExpansionSearch(options.ExpansionSearch);
    }

    public static HnswIndex Create(int dimension, HnswOptions? options = null, int reserve = 0)
    {
        options ??= new HnswOptions();
        var index = new USearchIndex(MetricKind.Cos, ScalarKind.Float32, (ulong)dimension,
            (ulong)options.Connectivity, (ulong)options.ExpansionAdd, (ulong)options.ExpansionSearch, multi: false);
        var h = new HnswIndex(index, dimension, options);
        if (reserve > 0) h.Reserve(reserve);
        return h;
    }

    /// <summary>Builds a graph from a row-major matrix, adding rows on <paramref name="threads"/> threads.</summary>
    public static HnswIndex Build(int dimension, long[] keys, float[] matrix, HnswOptions? options = null, int threads = 0, Action<int>? progress = null)
    {
        var h = Create(dimension, options, keys.Length);
        h.AddRange(keys, matrix, threads, progress);
        return h;
    }

    /// <summary>Adds rows (capacity must be reserved); USearch's index is safe for concurrent adds.</summary>
    public void AddRange(long[] keys, float[] matrix, int threads = 0, Action<int>? progress = null)
    {
        int d = Dimension;
        if ((long)keys.Length * d != matrix.Length) throw new ArgumentException("matrix does not match keys");
        Reserve(Count + keys.Length);
        int done = 0;
        Parallel.For(0, keys.Length, new ParallelOptions { MaxDegreeOfParallelism = ThreadCount.Resolve(threads) },
            () => new float[d],
            (i, _, row) =>
            {
                matrix.AsSpan(i * d, d).CopyTo(row);
                _index.Add((ulong)keys[i], row);
                int n = Interlocked.Increment(ref done);
                if (progress != null && n % 10_000 == 0) progress(n);
                return row;
            }, _ => { });
    }

    public void Add(long key, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension) throw new InvalidInputException($"vector has {vector.Length} dimensions, the index {Dimension}");
        Reserve(Count + 1);
        _index.Add((ulong)key, vector.ToArray());
    }
    public bool Remove(long key) => _index.Remove((ulong)key) > 0;
    public bool Contains(long key) => _index.Contains((ulong)key);

    public VectorHit[] Search(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dimension) throw new InvalidInputException($"query has {query.Length} dimensions, the index {Dimension}");
        if (k <= 0 || Count == 0) return [];
        int n = _index.Search(query.ToArray(), Math.Min(k, Count), out var keys, out var distances);
        var hits = new VectorHit[n];
        for (int i = 0; i < n; i++) hits[i] = new VectorHit((long)keys[i], 1f - distances[i]);
        return hits;
    }

    /// <summary>As <see cref="Save(string)"/>; the stamp is carried by the file's name (<see cref="CatalogIndex"/>).</summary>
    public void Save(string path, long stamp) => Save(path);

    /// <summary>Writes the graph to a temp file beside <paramref name="path"/>, then renames it into place.</summary>
    public void Save(string path) => AtomicFile.WriteVia(path, tmp =>
    {
        _index.Save(tmp);
        using var fs = new FileStream(tmp, FileMode.Open, FileAccess.ReadWrite);
        fs.Flush(flushToDisk: true);
    });

    /// <summary>Loads a saved graph into memory; null when absent or unreadable.</summary>
    public static HnswIndex? Load(string path, HnswOptions? options = null)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var index = new USearchIndex(path);
            return new HnswIndex(index, checked((int)index.Dimensions()), options ?? new HnswOptions());
        }
        catch (USearchException) { return null; }
    }

    void Reserve(int capacity)
    {
        if ((long)_index.Capacity() >= capacity) return;
        var err = IntPtr.Zero;
        usearch_reserve(Handle, checked((UIntPtr)(ulong)Math.Max(capacity, (int)Math.Min(int.MaxValue, (long)_index.Capacity() * 2))), ref err);
        Check(err);
    }

    // The managed binding fixes the search expansion at construction and has no setter, and a loaded
    // index would fall back to USearch's default (64), too low for recall 0.98 at 1M. The native library
    // exports the setter; we call it on the binding's handle.
    void SetExpansionSearch(int expansion)
    {
        var err = IntPtr.Zero;
        usearch_change_expansion_search(Handle, checked((UIntPtr)(ulong)expansion), ref err);
        Check(err);
    }

    static readonly FieldInfo HandleField = typeof(USearchIndex).GetField("_index", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new VimlException("Cloud.Unum.USearch: unexpected binding version (no native handle)");
    IntPtr Handle => (IntPtr)HandleField.GetValue(_index)!;

    static void Check(IntPtr err)
    {
        if (err != IntPtr.Zero) throw new VimlException("USearch: " + Marshal.PtrToStringAnsi(err));
    }

    [DllImport("libusearch_c", CallingConvention = CallingConvention.Cdecl)]
    static extern void usearch_change_expansion_search(IntPtr index, UIntPtr expansion, ref IntPtr error);
    [DllImport("libusearch_c", CallingConvention = CallingConvention.Cdecl)]
    static extern void usearch_reserve(IntPtr index, UIntPtr capacity, ref IntPtr error);

    public void Dispose() => _index.Dispose();
}
