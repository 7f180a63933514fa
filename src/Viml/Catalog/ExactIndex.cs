using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Viml.IO;

namespace Viml.Catalog;

/// <summary>
/// Exact search: the vectors live in one contiguous row-major float matrix; a query is one SIMD dot
/// product per row (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>), and the
/// top-k is kept in a k-sized min-heap, so the cost is one pass over the matrix at memory speed.
/// </summary>
public sealed class ExactIndex : IVectorIndex
{
    float[] _matrix;   // capacity x Dimension; the first Count rows are used
    long[] _keys;      // capacity; the first Count are used
    int _count;

    public IndexKind Kind => IndexKind.Exact;
    public int Count => _count;
    public int Dimension { get; }

    public ExactIndex(int dimension, long[] keys, float[] matrix)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if ((long)keys.Length * dimension != matrix.Length)
            throw new ArgumentException($"matrix holds {matrix.Length} floats, expected {keys.Length} x {dimension}");
        Dimension = dimension; _keys = keys; _matrix = matrix; _count = keys.Length;
    }

    /// <summary>Appends a row (the matrix grows by doubling).</summary>
    public void Add(long key, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension) throw new InvalidInputException($"vector has {vector.Length} dimensions, the index {Dimension}");
        if (Array.IndexOf(_keys, key, 0, _count) >= 0) throw new ArgumentException($"key {key} is already in the index", nameof(key));
        if (_count == _keys.Length)
        {
            int capacity = Math.Max(16, _keys.Length * 2);
            Array.Resize(ref _keys, capacity);
            Array.Resize(ref _matrix, checked(capacity * Dimension));
        }
        _keys[_count] = key;
        vector.CopyTo(_matrix.AsSpan(_count * Dimension, Dimension));
        _count++;
    }

    /// <summary>Drops a row, keeping the others in order.</summary>
    public bool Remove(long key)
    {
        int i = Array.IndexOf(_keys, key, 0, _count);
        if (i < 0) return false;
        Array.Copy(_keys, i + 1, _keys, i, _count - i - 1);
        Array.Copy(_matrix, (i + 1) * Dimension, _matrix, i * Dimension, (_count - i - 1) * Dimension);
        _count--;
        return true;
    }

    public ReadOnlySpan<float> Row(int i) => _matrix.AsSpan(i * Dimension, Dimension);
    public long KeyAt(int i) => _keys[i];

    public VectorHit[] Search(ReadOnlySpan<float> query, int k)
    {
        if (query.Length != Dimension) throw new InvalidInputException($"query has {query.Length} dimensions, the index {Dimension}");
        k = Math.Min(k, Count);
        if (k <= 0) return [];
        var heap = new TopK(k);
        const int Block = 1024;                       // scores of a block of rows, then the heap sees them
        Span<float> scores = stackalloc float[Block];
        var m = _matrix.AsSpan();
        for (int start = 0; start < Count; start += Block)
        {
            int n = Math.Min(Block, Count - start);
            for (int r = 0; r < n; r++)
                scores[r] = TensorPrimitives.Dot(m.Slice((start + r) * Dimension, Dimension), query);
            for (int r = 0; r < n; r++)
                if (scores[r] > heap.Threshold) heap.Offer(start + r, scores[r]);
        }
        var rows = heap.Sorted();
        var hits = new VectorHit[rows.Length];
        for (int i = 0; i < rows.Length; i++) hits[i] = new VectorHit(_keys[rows[i].Row], rows[i].Score);
        return hits;
    }

    /// <summary>Scores of every row (for filtered searches that must see all candidates).</summary>
    public void ScoreAll(ReadOnlySpan<float> query, Span<float> scores)
    {
        var m = _matrix.AsSpan();
        for (int r = 0; r < Count; r++) scores[r] = TensorPrimitives.Dot(m.Slice(r * Dimension, Dimension), query);
    }

    public void Dispose() { }

    // File: "VIMLEXA1", int32 dimension, int64 count, int64 stamp, keys (int64 LE), matrix (float32 LE).
    static ReadOnlySpan<byte> Magic => "VIMLEXA1"u8;

    /// <summary>Writes the index atomically (temp file + rename); <paramref name="stamp"/> ties it to the database state it was built from.</summary>
    public void Save(string path, long stamp) => AtomicFile.Write(path, s =>
    {
        Span<byte> head = stackalloc byte[8 + 4 + 8 + 8];
        Magic.CopyTo(head);
        BinaryPrimitives.WriteInt32LittleEndian(head[8..], Dimension);
        BinaryPrimitives.WriteInt64LittleEndian(head[12..], Count);
        BinaryPrimitives.WriteInt64LittleEndian(head[20..], stamp);
        s.Write(head);
        s.Write(MemoryMarshal.AsBytes(_keys.AsSpan(0, _count)));
        s.Write(MemoryMarshal.AsBytes(_matrix.AsSpan(0, _count * Dimension)));
    });

    /// <summary>Reads an index written by <see cref="Save"/>; null when absent, unreadable or built from another stamp.</summary>
    public static ExactIndex? Load(string path, long expectedStamp)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var f = File.OpenRead(path);
            Span<byte> head = stackalloc byte[28];
            f.ReadExactly(head);
            if (!head[..8].SequenceEqual(Magic)) return null;
            int d = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
            long n = BinaryPrimitives.ReadInt64LittleEndian(head[12..]);
            long stamp = BinaryPrimitives.ReadInt64LittleEndian(head[20..]);
            if (stamp != expectedStamp || d <= 0 || n < 0 || f.Length != 28 + n * 8 + n * d * 4L) return null;
            var keys = new long[n];
            var matrix = new float[n * d];
            f.ReadExactly(MemoryMarshal.AsBytes(keys.AsSpan()));
            f.ReadExactly(MemoryMarshal.AsBytes(matrix.AsSpan()));
            return new ExactIndex(d, keys, matrix);
        }
        catch (IOException) { return null; }
    }
}

/// <summary>The k best (row, score) pairs seen so far, in a min-heap whose root is the worst kept.</summary>
internal sealed class TopK
{
    readonly int[] _rows;
    readonly float[] _scores;
    int _n;
    public TopK(int k) { _rows = new int[k]; _scores = new float[k]; }

    /// <summary>A score must beat this to enter.</summary>
    public float Threshold => _n < _rows.Length ? float.NegativeInfinity : _scores[0];

    public void Offer(int row, float score)
    {
        if (_n < _rows.Length)
        {
            int i = _n++;
            _rows[i] = row; _scores[i] = score;
            while (i > 0) { int p = (i - 1) / 2; if (_scores[p] <= _scores[i]) break; Swap(i, p); i = p; }
            return;
        }
        if (score <= _scores[0]) return;
        _rows[0] = row; _scores[0] = score;
        int j = 0;
        while (true)
        {
            int l = 2 * j + 1, r = l + 1, s = j;
            if (l < _n && _scores[l] < _scores[s]) s = l;
            if (r < _n && _scores[r] < _scores[s]) s = r;
            if (s == j) break;
            Swap(j, s); j = s;
        }
    }

    void Swap(int a, int b) { (_rows[a], _rows[b]) = (_rows[b], _rows[a]); (_scores[a], _scores[b]) = (_scores[b], _scores[a]); }

    /// <summary>Kept pairs, best first (ties by lower row first).</summary>
    public (int Row, float Score)[] Sorted()
    {
        var a = new (int Row, float Score)[_n];
        for (int i = 0; i < _n; i++) a[i] = (_rows[i], _scores[i]);
        Array.Sort(a, (x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Row.CompareTo(y.Row));
        return a;
    }
}
