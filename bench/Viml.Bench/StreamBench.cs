using System.Diagnostics;
using Viml.Evaluation;
using Viml.Features;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Bench;

/// <summary>
/// `stream`: the training data of a large feature store, streamed from its memory-mapped pack against the same
/// items loaded into memory (<c>TrainingData.FromStore</c>), each in a child process of its own so that peak
/// resident memory is the side's alone. Writes the synthetic store first when it is missing.
/// Options: --store DIR (default .viml/synthetic-100k) --items 100000 [--side streamed|loaded, used by the children]
/// Then train on it: a train.json with "stream": true (docs/model.md, "Scale").
/// </summary>
static class StreamBench
{
    public static int Run(string[] args)
    {
        string Arg(string name, string fallback) { int i = Array.IndexOf(args, "--" + name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback; }
        string store = Path.GetFullPath(Arg("store", Path.Combine(".viml", "synthetic-100k")));
        int items = int.Parse(Arg("items", "100000"));
        string side = Arg("side", "");
        if (side.Length > 0) return Side(store, side);

        if (!File.Exists(Path.Combine(store, "texts", "tags.jsonl")))
        {
            var sw = Stopwatch.StartNew();
            var config = new SyntheticConfig { Train = items, Validation = 2000, Test = 2000 };
            SyntheticBenchmark.WriteStore(config, SyntheticBenchmark.Generate(config), store,
                new Progress<int>(n => { if (n % 10000 == 0) Console.Error.WriteLine($"  {n} items written"); }));
            Console.WriteLine($"wrote {items + 4000} items to {store} in {sw.Elapsed.TotalSeconds:0} s");
        }
        var packing = Stopwatch.StartNew();
        using (var packed = PackedFeatures.For(FeatureStore.Open(store)))
            Console.WriteLine($"pack: {packed.Count} items, {packed.Segments} segments, {new FileInfo(packed.Path).Length / 1e6:0} MB, "
                + $"{packing.Elapsed.TotalSeconds:0} s (0 when it was up to date)");
        using (var encoder = new SyntheticTextEncoder()) TextEmbeddingCache.Load(store, "tags", encoder);   // both sides read the cache
        var results = new Dictionary<string, (double Seconds, double PeakMb, double ItemsPerSecond)>();
        foreach (var s in new[] { "streamed", "loaded" })
        {
            var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            foreach (var a in Environment.GetCommandLineArgs()[..1].Concat(new[] { "stream", "--store", store, "--side", s }))
                psi.ArgumentList.Add(a);
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) != "dotnet") psi.ArgumentList.RemoveAt(0);
            using var p = Process.Start(psi)!;
            string line = p.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
            p.WaitForExit();
            var f = line.Split(' ').Select(double.Parse).ToArray();
            results[s] = (f[0], f[1], f[2]);
            Console.WriteLine($"{s}: a pass over the train items {f[0]:0.0} s ({f[2]:0} items/s), peak resident memory {f[1]:0} MB; "
                + $"at the end {f[3]:0} MB private (anonymous) + {f[4]:0} MB mapped file pages (page cache the kernel may drop)");
        }
        Console.WriteLine($"ratio streamed / loaded: peak memory {results["streamed"].PeakMb / results["loaded"].PeakMb:0.00}, "
            + $"time {results["streamed"].Seconds / results["loaded"].Seconds:0.00}");
        return 0;
    }

    /// <summary>One side: open the data, read every training item once (as an epoch would); print seconds, peak MB, items/s,
    /// and the private and file-backed resident MB at the end (Linux /proc/self/status).</summary>
    static int Side(string store, string side)
    {
        var sw = Stopwatch.StartNew();
        using var encoder = new SyntheticTextEncoder();
        PackedFeatures? packed = null;
        TrainingData data;
        if (side == "streamed") (data, packed) = StreamedTrainingData.FromStore(store, "tags", encoder, 0.1, 0.1);
        else data = TrainingData.FromStore(store, "tags", encoder, 0.1, 0.1);
        using var _ = packed;
        double sum = 0;
        foreach (var item in data.Train) sum += item.Video[0][0] + item.Music[^1][0];
        double seconds = sw.Elapsed.TotalSeconds;
        double Status(string key) => File.ReadLines("/proc/self/status").Where(l => l.StartsWith(key + ":"))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1000).FirstOrDefault();
        Console.WriteLine($"{seconds:0.###} {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} {data.Train.Count / seconds:0} "
            + $"{Status("RssAnon"):0} {Status("RssFile"):0} {(sum > double.MaxValue ? 1 : 0)}");
        return 0;
    }
}
