using System.Diagnostics;
using System.Globalization;
using Viml.Catalog;

using static Viml.Bench.BenchTools;

namespace Viml.Bench;

/// <summary>
/// `hnswbuild`: vectors/s of the product's HNSW build (<see cref="HnswIndex.Build"/>: the USearch .NET binding on
/// <c>Parallel.For</c>) against USearch's own native build of the same vectors at the same connectivity and expansion
/// (bench/peers/usearch_build.c: the library's C API on pthreads, no .NET in the process), compiled here with gcc
/// against the native library the NuGet package ships. The two take turns (A B A B); each side's wall and CPU time
/// (user + system, all threads, during the build) are compared.
/// Usage: hnswbuild [--n 100000] [--dim 256] [--m 32] [--ef-add 200] [--threads 2] [--rounds 2] [--data lowrank|uniform]
/// </summary>
static class HnswBuildBench
{
    public static int Run(string[] args)
    {
        int n = int.Parse(Opt(args, "--n", "100000")!, CultureInfo.InvariantCulture);
        int dim = int.Parse(Opt(args, "--dim", "256")!, CultureInfo.InvariantCulture);
        int threads = int.Parse(Opt(args, "--threads", "2")!, CultureInfo.InvariantCulture);
        int rounds = int.Parse(Opt(args, "--rounds", "2")!, CultureInfo.InvariantCulture);
        string data = Opt(args, "--data", "lowrank")!;
        var defaults = new HnswOptions();
        var options = new HnswOptions(int.Parse(Opt(args, "--m", defaults.Connectivity.ToString())!),
            int.Parse(Opt(args, "--ef-add", defaults.ExpansionAdd.ToString())!), defaults.ExpansionSearch);
        if (data is not ("uniform" or "lowrank")) { Console.Error.WriteLine($"--data: '{data}' is not uniform or lowrank"); return 2; }

        string dir = Path.Combine(Viml.IO.ProjectPaths.Root, ".viml", "peers");
        Directory.CreateDirectory(dir);
        string? peer = CompilePeer(dir);
        if (peer is null) return 1;
        var matrix = data == "uniform" ? IndexBench.RandomUnit(n, dim, n) : IndexBench.LowRank(n, dim, 32, n);
        var keys = Enumerable.Range(1, n).Select(i => (long)i).ToArray();
        string rows = Path.Combine(dir, $"hnswbuild-{n}x{dim}-{data}.f32");
        using (var f = File.Create(rows)) f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(matrix.AsSpan()));

        Console.WriteLine($"hnswbuild: {n:N0} {data} unit vectors, d={dim}, M={options.Connectivity}, ef_add={options.ExpansionAdd}, "
            + $"{threads} threads, {rounds} rounds (A B A B); load average at start {LoadAverage()}");
        var ours = new List<(double Wall, double Cpu)>();
        var theirs = new List<(double Wall, double Cpu)>();
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                double c0 = CpuTime.OfProcess();
                var sw = Stopwatch.StartNew();
                using (var index = HnswIndex.Build(dim, keys, matrix, options, threads))
                {
                    if (index.Count != n) throw new InvalidOperationException($"the graph holds {index.Count} of {n} vectors");
                    ours.Add((sw.Elapsed.TotalSeconds, CpuTime.OfProcess() - c0));
                }
                theirs.Add(Native(peer, rows, n, dim, options, threads));
                Console.WriteLine($"round {r + 1}: Viml {ours[^1].Wall:0.0} s wall, {ours[^1].Cpu:0.0} CPU-s; "
                    + $"native {theirs[^1].Wall:0.0} s wall, {theirs[^1].Cpu:0.0} CPU-s");
            }
        }
        finally { File.Delete(rows); }

        double ow = Median(ours.Select(x => x.Wall)), oc = Median(ours.Select(x => x.Cpu));
        double tw = Median(theirs.Select(x => x.Wall)), tc = Median(theirs.Select(x => x.Cpu));
        Console.WriteLine($"Viml (HnswIndex.Build, USearch .NET binding): {n / ow:N0} vectors/s wall, {n / oc:N0} vectors per CPU-second");
        Console.WriteLine($"USearch native (C API, pthreads):             {n / tw:N0} vectors/s wall, {n / tc:N0} vectors per CPU-second");
        Console.WriteLine($"ratio Viml / native build time: wall {ow / tw:0.00}, CPU {oc / tc:0.00} (1.00 = no cost of its own); "
            + $"load average at end {LoadAverage()}");
        return 0;
    }

    static (double Wall, double Cpu) Native(string peer, string rows, int n, int dim, HnswOptions o, int threads)
    {
        var psi = new ProcessStartInfo(peer, new[] { rows, $"{n}", $"{dim}", $"{o.Connectivity}", $"{o.ExpansionAdd}", $"{o.ExpansionSearch}", $"{threads}" })
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var words = output.Split(' ', StringSplitOptions.TrimEntries);
        if (p.ExitCode != 0 || words.Length < 6 || words[0] != "built")
            throw new InvalidOperationException($"native USearch build failed ({p.ExitCode}): {output}{err.Result}");
        return (double.Parse(words[3], CultureInfo.InvariantCulture), double.Parse(words[5], CultureInfo.InvariantCulture));
    }

    /// <summary>Compiles bench/peers/usearch_build.c against the libusearch_c.so beside this program.</summary>
    static string? CompilePeer(string dir)
    {
        string lib = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        if (!File.Exists(Path.Combine(lib, "libusearch_c.so"))) lib = AppContext.BaseDirectory;
        if (!File.Exists(Path.Combine(lib, "libusearch_c.so")))
        {
            Console.Error.WriteLine($"libusearch_c.so not found under {AppContext.BaseDirectory}: no native peer");
            return null;
        }
        string source = Path.Combine(Viml.IO.ProjectPaths.Root, "bench", "peers", "usearch_build.c");
        string exe = Path.Combine(dir, "usearch_build");
        var psi = new ProcessStartInfo("gcc", new[] { "-O2", "-Wall", "-pthread", "-o", exe, source, "-L" + lib, "-l:libusearch_c.so", "-Wl,-rpath," + lib })
            { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode == 0) return exe;
            Console.Error.WriteLine("gcc failed on bench/peers/usearch_build.c:\n" + output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("gcc not found: the native peer needs it (apt-get install gcc)");
        }
        return null;
    }
}
