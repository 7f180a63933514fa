using System.Diagnostics;
using TorchSharp;
using Viml.Evaluation;
using Viml.Model;
using Viml.Torch;
using Viml.Training;
using static TorchSharp.torch;

/// <summary>
/// `trainstep`: ms per ViML training step (forward, symmetric InfoNCE, backward, AdamW) in TorchSharp
/// against the same model in PyTorch (bench/peers/train_step.py, Debian python3-torch), same shapes
/// and threads; then evaluation throughput (queries/s at pools of N = 2000).
/// Options: --batch 64 --segments 10 --d 256 --ff 2048 --heads 8 --threads 2 --steps 20 --warmup 3
/// </summary>
static class TrainStepBench
{
    public static int Run(string[] args)
    {
        int Arg(string name, int fallback) { int i = Array.IndexOf(args, "--" + name); return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback; }
        int batch = Arg("batch", 64), segments = Arg("segments", 10), d = Arg("d", 256), ff = Arg("ff", 2048), heads = Arg("heads", 8);
        int threads = Arg("threads", 2), steps = Arg("steps", 20), warmup = Arg("warmup", 3), pool = Arg("pool", 2000);
        const int dv = 512, dm = 600, dt = 384;
        TorchRuntime.Initialise(threads);
        torch.manual_seed(0);
        var config = new ModelConfig { VideoDimension = dv, MusicDimension = dm, TextDimension = dt, Dimension = d, FeedForward = ff, Heads = heads };
        var model = new VimlModel(config);
        model.train();
        using var opt = new Viml.Training.OwnedScalarAdamW(model.parameters(), 1e-4, 0.01);
        var padding = torch.tensor(Enumerable.Range(0, batch).SelectMany(i => Enumerable.Range(0, segments).Select(j => j >= segments - i % 3)).ToArray(), new long[] { batch, segments });
        using var batchData = new Batch(torch.randn(batch, segments, dv), torch.randn(batch, segments, dm), padding, torch.randn(batch, dt));
        var times = new List<double>();
        var parts = new List<(double Forward, double Backward, double Optimizer)>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var sw = Stopwatch.StartNew();
            double f, b;
            using (var scope = torch.NewDisposeScope())
            {
                var loss = model.forward(batchData);
                f = sw.Elapsed.TotalMilliseconds;
                opt.zero_grad();
                loss.backward();
                b = sw.Elapsed.TotalMilliseconds;
                opt.step();
            }
            if (i >= warmup) { times.Add(sw.Elapsed.TotalMilliseconds); parts.Add((f, b - f, sw.Elapsed.TotalMilliseconds - b)); }
        }
        double ours = Median(times);
        Console.WriteLine($"shapes: batch {batch}, segments {segments}, base {dv}/{dm}/{dt}, d {d}, ff {ff}, heads {heads}, 2+2+2 layers + 2-layer fusion; threads {threads}");
        Console.WriteLine($"Viml (TorchSharp {typeof(torch).Assembly.GetName().Version}): {ours:0.0} ms/step");
        Console.WriteLine($"  forward / backward / optimizer ms: {Median(parts.Select(p => p.Forward).ToList()):0.0} / {Median(parts.Select(p => p.Backward).ToList()):0.0} / {Median(parts.Select(p => p.Optimizer).ToList()):0.0}");

        string peerArgs = $"--batch {batch} --segments {segments} --d {d} --ff {ff} --heads {heads} --threads {threads} --steps {steps} --warmup {warmup}";
        // Debian's python3-torch calls the system BLAS (netlib reference unless an optimised one is installed);
        // libtorch in TorchSharp brings MKL. The fair peer runs with OpenBLAS, unpacked locally (no system change).
        string systemArgs = $"--batch {batch} --segments {segments} --d {d} --ff {ff} --heads {heads} --threads {threads} --steps {Math.Min(steps, 3)} --warmup 1";
        if (Peer(systemArgs, null, threads) is double p)
            Console.WriteLine($"PyTorch peer, system BLAS: {p:0.0} ms/step; ratio Viml / PyTorch = {ours / p:0.00}");
        if (OpenBlas() is string blas && Peer(peerArgs, blas, threads) is double q)
            Console.WriteLine($"PyTorch peer, OpenBLAS:    {q:0.0} ms/step; ratio Viml / PyTorch = {ours / q:0.00} (target <= 1.10)");

        // Evaluation throughput: N = pool items of 10 segments, each query ranked against its pool of N.
        var rng = new Random(0);
        float[][] Seq(int n, int dim) => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, dim).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var items = Enumerable.Range(0, pool).Select(i => new TrainingItem($"{i}", Seq(segments, dv), Seq(segments, dm), Seq(1, dt))).ToList();
        using var trained = TrainedModel.From(model);
        double qps = Evaluator.Throughput(trained, items, pool, withText: true);
        Console.WriteLine($"evaluation: {qps:0} queries/s (video + text query embedded, ranked in a pool of {pool}; music pre-embedded)");
        return 0;
    }

    static double Median(List<double> xs) { var s = xs.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }

    /// <summary>libopenblas0-pthread unpacked under .viml/peers/openblas (apt-get download + dpkg -x), or null.</summary>
    static string? OpenBlas()
    {
        string dir = Path.Combine(Viml.IO.ProjectPaths.Root, ".viml", "peers", "openblas");
        string lib = Path.Combine(dir, "usr", "lib", "x86_64-linux-gnu", "openblas-pthread");
        if (File.Exists(Path.Combine(lib, "libblas.so.3"))) return lib;
        Console.WriteLine("fetching libopenblas0-pthread for the peer (apt-get download + dpkg -x into .viml/peers/openblas) ...");
        var psi = new ProcessStartInfo("bash", new[] { "-c", $"set -e; t=$(mktemp -d); cd \"$t\"; apt-get download -q libopenblas0-pthread; mkdir -p '{dir}'; dpkg -x ./*.deb '{dir}'; rm -rf \"$t\"" })
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd() + err.Result;
        p.WaitForExit();
        if (File.Exists(Path.Combine(lib, "libblas.so.3"))) return lib;
        Console.WriteLine("could not unpack OpenBLAS; skipping that peer:\n" + output);
        return null;
    }

    static double? Peer(string arguments, string? blasDir, int threads)
    {
        string script = Path.Combine(Viml.IO.ProjectPaths.Root, "bench", "peers", "train_step.py");
        if (RunPython("-c \"import torch\"", out _) != 0)
        {
            Console.WriteLine("installing python3-torch (Debian) for the peer ...");
            var apt = Process.Start(new ProcessStartInfo("apt-get", "install -y -q python3-torch") { RedirectStandardOutput = true });
            apt?.StandardOutput.ReadToEnd();
            apt?.WaitForExit();
        }
        if (RunPython($"{script} {arguments}", out var output, blasDir, threads) != 0) { Console.WriteLine("PyTorch peer failed:\n" + output); return null; }
        if (output.Split('\n').FirstOrDefault(l => l.StartsWith("forward /")) is { } split) Console.WriteLine("  peer " + split);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("ms_per_step "));
        return line is null ? null : double.Parse(line["ms_per_step ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    static int RunPython(string arguments, out string output, string? blasDir = null, int threads = 0)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (blasDir != null) psi.Environment["LD_LIBRARY_PATH"] = blasDir;
        if (threads > 0) psi.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString();
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        output = p.StandardOutput.ReadToEnd() + err.Result;
        p.WaitForExit();
        return p.ExitCode;
    }
}
