using System.Numerics.Tensors;

namespace Viml.Metrics;

/// <summary>Recall@K (%) and median rank over a set of queries, each ranked within a pool of N.</summary>
public sealed record RetrievalMetrics(int Queries, int PoolSize, double MedianRank, double R1, double R5, double R10)
{
    /// <summary>What a random ranking scores: R@K = min(K, N)/N (a pool smaller than K always holds the match),
    /// median rank N/2 (the paper's chance rows).</summary>
    public static RetrievalMetrics Chance(int poolSize)
    {
        double R(int k) => 100.0 * Math.Min(k, poolSize) / poolSize;
        return new(0, poolSize, poolSize / 2.0, R(1), R(5), R(10));
    }

    /// <summary>Metrics of 1-based ranks of the true match.</summary>
    public static RetrievalMetrics FromRanks(IReadOnlyList<int> ranks, int poolSize)
    {
        if (ranks.Count == 0) throw new ArgumentException("no queries");
        double R(int k) => 100.0 * ranks.Count(r => r <= k) / ranks.Count;
        var sorted = ranks.Order().ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new(n, poolSize, median, R(1), R(5), R(10));
    }
}

/// <summary>
/// The paper's protocol (Sec. 4.1): each query is ranked against a pool of N music items that holds
/// its one true match and N - 1 others drawn at random (seeded). Track level N = 2000, clip level
/// N = 500; with fewer items than N the pool is every item.
/// </summary>
public static class RetrievalProtocol
{
    public const int TrackPool = 2000, ClipPool = 500;

    /// <summary>
    /// pools[i][0] = i (the match), then N - 1 distinct other indices, sampled without replacement.
    /// </summary>
    public static int[][] SamplePools(int count, int poolSize, int seed)
    {
        if (count < 1) throw new ArgumentException("no items to evaluate");
        int n = Math.Min(poolSize, count);
        var rng = new Random(seed);
        var pools = new int[count][];
        var others = new int[count - 1];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0, k = 0; j < count; j++) if (j != i) others[k++] = j;
            // Partial Fisher-Yates: the first n - 1 entries become a uniform sample.
            for (int k = 0; k < n - 1; k++) { int r = k + rng.Next(others.Length - k); (others[k], others[r]) = (others[r], others[k]); }
            pools[i] = new int[n];
            pools[i][0] = i;
            Array.Copy(others, 0, pools[i], 1, n - 1);
        }
        return pools;
    }

    /// <summary>s(q_i, m_j) for every pool member, match first: scores[i][k] for pools[i][k].</summary>
    public static float[][] PoolScores(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> music, int[][] pools) =>
        pools.Select((pool, i) => pool.Select(j => TensorPrimitives.Dot(queries[i].AsSpan(), music[j].AsSpan())).ToArray()).ToArray();

    /// <summary>Rank of the match (position 0) in each row; ties count against the match.</summary>
    public static int[] Ranks(IReadOnlyList<float[]> poolScores) =>
        poolScores.Select(s => 1 + s.Skip(1).Count(x => x >= s[0])).ToArray();

    /// <summary>Ensemble score (Appendix C): (1 - a) s1 + a s2, per pool member.</summary>
    public static float[][] Blend(IReadOnlyList<float[]> s1, IReadOnlyList<float[]> s2, double a) =>
        s1.Select((row, i) => row.Select((x, k) => (float)((1 - a) * x + a * s2[i][k])).ToArray()).ToArray();

    /// <summary>Embeddings (L2-normalised) of queries and their matching music, row i with row i.</summary>
    public static RetrievalMetrics Evaluate(IReadOnlyList<float[]> queries, IReadOnlyList<float[]> music, int poolSize, int seed)
    {
        var pools = SamplePools(queries.Count, poolSize, seed);
        return RetrievalMetrics.FromRanks(Ranks(PoolScores(queries, music, pools)), pools[0].Length);
    }
}
