using Viml.Catalog;

namespace Viml.Tests.Catalog;

/// <summary>Exact and HNSW search behind one face: add, remove, search, save and load give the same answers.</summary>
public sealed class VectorIndexContractTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-index-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    static float[] Unit(Random rng, int d)
    {
        var v = Enumerable.Range(0, d).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float n = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / n).ToArray();
    }

    [Theory]
    [InlineData(IndexKind.Exact)]
    [InlineData(IndexKind.Hnsw)]
    public void Either_index_adds_removes_searches_and_saves(IndexKind kind)
    {
        const int d = 16;
        var rng = new Random(5);
        var vectors = Enumerable.Range(1, 60).ToDictionary(k => (long)k, _ => Unit(rng, d));
        IVectorIndex index = kind == IndexKind.Exact ? new ExactIndex(d, [], []) : HnswIndex.Create(d);
        using (index)
        {
            foreach (var (key, v) in vectors) index.Add(key, v);
            Assert.Equal(60, index.Count);
            Assert.Equal(7, index.Search(vectors[7], 1)[0].Key);
            Assert.InRange(index.Search(vectors[7], 1)[0].Score, 0.999f, 1.001f);

            Assert.True(index.Remove(7));
            Assert.False(index.Remove(7));
            Assert.Equal(59, index.Count);
            Assert.DoesNotContain(index.Search(vectors[7], 10), h => h.Key == 7);

            string path = Path.Combine(_dir, kind.ToString());
            index.Save(path, stamp: 3);
            using IVectorIndex loaded = kind == IndexKind.Exact ? ExactIndex.Load(path, 3)! : HnswIndex.Load(path)!;
            Assert.Equal(59, loaded.Count);
            Assert.Equal(index.Search(vectors[20], 5).Select(h => h.Key), loaded.Search(vectors[20], 5).Select(h => h.Key));
            Assert.Equal(20, loaded.Search(vectors[20], 1)[0].Key);
        }
    }
}
