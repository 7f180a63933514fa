using System.Numerics.Tensors;
using Viml.Catalog;

namespace Viml.Tests.Catalog;

public class VectorIndexTests
{
    static float[] RandomUnit(Random rng, int n, int d)
    {
        var m = new float[n * d];
        for (int i = 0; i < m.Length; i++) m[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int r = 0; r < n; r++) { var row = m.AsSpan(r * d, d); TensorPrimitives.Divide(row, TensorPrimitives.Norm<float>(row), row); }
        return m;
    }

    static long[] BruteForce(float[] m, long[] keys, int d, float[] q, int k) =>
        Enumerable.Range(0, keys.Length)
            .Select(i => (Key: keys[i], Score: Enumerable.Range(0, d).Sum(j => (double)m[i * d + j] * q[j])))
            .OrderByDescending(x => x.Score).Take(k).Select(x => x.Key).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    public void Exact_top_k_equals_brute_force(int k)
    {
        var rng = new Random(k);
        int n = 3000, d = 64;
        var m = RandomUnit(rng, n, d);
        var keys = Enumerable.Range(0, n).Select(i => 1000L + 7 * i).ToArray();
        var index = new ExactIndex(d, keys, m);
        for (int t = 0; t < 5; t++)
        {
            var q = RandomUnit(rng, 1, d);
            var hits = index.Search(q, k);
            Assert.Equal(BruteForce(m, keys, d, q, k), hits.Select(h => h.Key).ToArray());
            for (int i = 1; i < hits.Length; i++) Assert.True(hits[i - 1].Score >= hits[i].Score);
        }
        Assert.Equal(n, index.Search(RandomUnit(rng, 1, d), n + 5).Length);
    }

    [Fact]
    public void Exact_file_round_trips_and_rejects_another_stamp()
    {
        var dir = Directory.CreateTempSubdirectory("viml-exact-");
        try
        {
            var rng = new Random(3);
            var m = RandomUnit(rng, 50, 16);
            var index = new ExactIndex(16, Enumerable.Range(1, 50).Select(i => (long)i).ToArray(), m);
            var path = Path.Combine(dir.FullName, "x.exact");
            index.Save(path, stamp: 42);
            Assert.Null(ExactIndex.Load(path, 41));
            var back = ExactIndex.Load(path, 42)!;
            var q = RandomUnit(rng, 1, 16);
            Assert.Equal(index.Search(q, 5), back.Search(q, 5));
            Assert.Empty(Directory.GetFiles(dir.FullName, "*.tmp"));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Hnsw_recall_at_10_on_a_small_set_and_survives_save_load()
    {
        var rng = new Random(5);
        int n = 2000, d = 32;
        var m = RandomUnit(rng, n, d);
        var keys = Enumerable.Range(1, n).Select(i => (long)i).ToArray();
        var exact = new ExactIndex(d, keys, m);
        using var hnsw = HnswIndex.Build(d, keys, m, new HnswOptions(16, 100, 128), threads: 2);
        Assert.Equal(n, hnsw.Count);
        var queries = Enumerable.Range(0, 50).Select(_ => RandomUnit(rng, 1, d)).ToArray();
        double recall = queries.Average(q => exact.Search(q, 10).Select(h => h.Key).Intersect(hnsw.Search(q, 10).Select(h => h.Key)).Count() / 10.0);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
        var top = hnsw.Search(queries[0], 10);
        Assert.Equal(exact.Search(queries[0], 1)[0].Score, top[0].Score, 3);

        var dir = Directory.CreateTempSubdirectory("viml-hnsw-");
        try
        {
            var path = Path.Combine(dir.FullName, "g.hnsw");
            hnsw.Save(path);
            using var back = HnswIndex.Load(path, new HnswOptions(16, 100, 128))!;
            Assert.Equal(n, back.Count);
            Assert.Equal(top.Select(h => h.Key), back.Search(queries[0], 10).Select(h => h.Key));
            Assert.True(back.Remove(top[0].Key));
            Assert.DoesNotContain(top[0].Key, back.Search(queries[0], 10).Select(h => h.Key));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Auto_switches_to_hnsw_at_the_threshold()
    {
        Assert.Equal(IndexKind.Exact, VectorIndex.Resolve(IndexKind.Auto, VectorIndex.HnswThreshold - 1));
        Assert.Equal(IndexKind.Hnsw, VectorIndex.Resolve(IndexKind.Auto, VectorIndex.HnswThreshold));
        Assert.Equal(IndexKind.Exact, VectorIndex.Resolve(IndexKind.Exact, 10_000_000));
        Assert.Equal(IndexKind.Hnsw, VectorIndex.Resolve(IndexKind.Hnsw, 3));
    }
}
