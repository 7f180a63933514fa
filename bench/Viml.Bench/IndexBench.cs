using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Viml.Catalog;

namespace Viml.Bench;

/// <summary>
/// Segment search at catalog scale on random unit vectors: exact (SIMD dot products + heap) vs HNSW
/// (USearch) latency p50/p99, HNSW recall@10 against exact, and the peer: the time to stream the same
/// matrix from memory once (a SIMD sum), measured in the same run. Exact/stream should be &lt;= 1.5.
/// Usage: index [--sizes 10000,100000,1000000] [--dim 256] [--queries 200] [--threads N] [--m 32] [--ef-add 200] [--ef 256[,64,128...]]
///              [--data uniform|lowrank] [--rank 32]
/// Data: <c>uniform</c> draws every vector uniformly on the sphere (no structure at all: the worst case for any
/// graph index, since all distances concentrate); <c>lowrank</c> draws x = normalise(A z + e) with z in
/// R^rank, a fixed random A (|A z| ~ 1) and full-dimensional noise e (|e| ~ 0.2): learned embeddings (ours included) have an
/// effective rank of a few tens, so this is the shape real catalogs have. Queries come from the same law.
/// </summary>
static class IndexBench
{
    public static int Run(string[] args)
    {
        var sizes = Opt(args, "--sizes", "10000,100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int dim = int.Parse(Opt(args, "--dim", "256"));
        int queries = int.Parse(Opt(args, "--queries", "200"));
        int threads = int.Parse(Opt(args, "--threads", Environment.ProcessorCount.ToString()));
        var efs = Opt(args, "--ef", "256").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var hnswOptions = new HnswOptions(int.Parse(Opt(args, "--m", "32")), int.Parse(Opt(args, "--ef-add", "200")), efs[0]);
        string data = Opt(args, "--data", "uniform");
        int rank = int.Parse(Opt(args, "--rank", "32"));
        if (data is not ("uniform" or "lowrank")) { Console.Error.WriteLine($"--data: '{data}' is not uniform or lowrank"); return 2; }
        Func<int, int, int, float[]> draw = data == "uniform" ? RandomUnit : (n, d, seed) => LowRank(n, d, rank, seed);
        Console.WriteLine($"index bench: {(data == "uniform" ? "uniform unit vectors" : $"low-rank unit vectors (rank {rank} + noise)")}, d={dim}, {queries} queries, HNSW M={hnswOptions.Connectivity} ef_add={hnswOptions.ExpansionAdd} ef={string.Join(",", efs)} (one graph, one row per ef), build threads {threads}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"segments",9} {"stream ms",9} {"GB/s",6} {"exact p50",9} {"p99",7} {"exact/stream",12} {"ef",4} {"hnsw p50",8} {"p99",7} {"exact/hnsw",10} {"recall@10",9} {"build s",8}");
        foreach (int n in sizes)
        {
            var rng = new Random(n);
            var matrix = draw(n, dim, n);
            var keys = Enumerable.Range(1, n).Select(i => (long)i).ToArray();
            var qs = Enumerable.Range(0, queries).Select(i => draw(1, dim, -i - 1)).ToArray();

            // peer: one streaming pass over the matrix
            var stream = Timings(8, () => Sink += TensorPrimitives.Sum<float>(matrix));
            double streamMs = Median(stream);
            double gbs = matrix.Length * 4.0 / (streamMs / 1000) / 1e9;

            var exact = new ExactIndex(dim, keys, matrix);
            var truth = new long[queries][];
            var exactTimes = new List<double>();
            exact.Search(qs[0], 10);
            for (int i = 0; i < queries; i++)
            {
                var sw = Stopwatch.StartNew();
                var hits = exact.Search(qs[i], 10);
                exactTimes.Add(sw.Elapsed.TotalMilliseconds);
                truth[i] = hits.Select(h => h.Key).ToArray();
            }

            var build = Stopwatch.StartNew();
            using var hnsw = HnswIndex.Build(dim, keys, matrix, hnswOptions, threads);
            double buildS = build.Elapsed.TotalSeconds;
            foreach (int ef in efs)
            {
                hnsw.ExpansionSearch = ef;
                var hnswTimes = new List<double>();
                double recall = 0;
                hnsw.Search(qs[0], 10);
                for (int i = 0; i < queries; i++)
                {
                    var sw = Stopwatch.StartNew();
                    var hits = hnsw.Search(qs[i], 10);
                    hnswTimes.Add(sw.Elapsed.TotalMilliseconds);
                    recall += hits.Select(h => h.Key).Intersect(truth[i]).Count() / 10.0;
                }
                recall /= queries;
                double e50 = Pct(exactTimes, 50), e99 = Pct(exactTimes, 99), h50 = Pct(hnswTimes, 50), h99 = Pct(hnswTimes, 99);
                Console.WriteLine($"{n,9} {streamMs,9:F2} {gbs,6:F1} {e50,9:F2} {e99,7:F2} {e50 / streamMs,12:F2} {ef,4} {h50,8:F3} {h99,7:F3} {e50 / h50,10:F1} {recall,9:F3} {buildS,8:F1}");
            }
        }
        Console.WriteLine("exact/stream: exact search time over one streaming pass of the same matrix (target <= 1.5); times in ms unless noted.");
        return 0;
    }

    static float Sink;

    internal static float[] RandomUnit(int n, int d, int seed)
    {
        var m = new float[(long)n * d];
        Parallel.For(0, (n + 4095) / 4096, b =>
        {
            var rng = new Random(HashCode.Combine(seed, b));
            int end = Math.Min(n, (b + 1) * 4096);
            for (int r = b * 4096; r < end; r++)
            {
                var row = m.AsSpan(r * d, d);
                for (int j = 0; j < d; j++) row[j] = (float)(rng.NextDouble() * 2 - 1);
                TensorPrimitives.Divide(row, TensorPrimitives.Norm<float>(row), row);
            }
        });
        return m;
    }

    /// <summary>Rows x = normalise(A z + e): z ~ N(0, I_rank), A a fixed random d x rank map (seed 12345, entries N(0, 1/(rank d))), e ~ N(0, 0.04 I_d / d).</summary>
    internal static float[] LowRank(int n, int d, int rank, int seed)
    {
        var basis = new float[rank * d];
        var brng = new Random(12345);
        for (int i = 0; i < basis.Length; i++) basis[i] = (float)(Gauss(brng) / Math.Sqrt((double)rank * d));   // |A z| ~ 1
        var m = new float[(long)n * d];
        Parallel.For(0, (n + 4095) / 4096, b =>
        {
            var rng = new Random(HashCode.Combine(seed, b, 7));
            int end = Math.Min(n, (b + 1) * 4096);
            for (int r = b * 4096; r < end; r++)
            {
                var row = m.AsSpan(r * d, d);
                for (int j = 0; j < d; j++) row[j] = (float)(0.2 * Gauss(rng) / Math.Sqrt(d));                // |e| ~ 0.2
                for (int k = 0; k < rank; k++) TensorPrimitives.MultiplyAdd(basis.AsSpan(k * d, d), (float)Gauss(rng), row, row);
                TensorPrimitives.Divide(row, TensorPrimitives.Norm<float>(row), row);
            }
        });
        return m;
    }

    static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    static List<double> Timings(int reps, Action a)
    {
        a();
        var t = new List<double>();
        for (int i = 0; i < reps; i++) { var sw = Stopwatch.StartNew(); a(); t.Add(sw.Elapsed.TotalMilliseconds); }
        return t;
    }

    static double Median(List<double> t) => Pct(t, 50);
    static double Pct(List<double> t, double p)
    {
        var s = t.Order().ToArray();
        return s[Math.Min(s.Length - 1, (int)Math.Ceiling(p / 100 * s.Length) - 1)];
    }

    static string Opt(string[] args, string name, string def)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : def;
    }
}
