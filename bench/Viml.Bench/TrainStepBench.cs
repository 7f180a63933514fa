using System.Diagnostics;
using TorchSharp;
using Viml.Bench;
using Viml.Evaluation;
using Viml.Model;
using Viml.Torch;
using Viml.Training;
using static TorchSharp.torch;
using static Viml.Bench.BenchTools;

/// <summary>
/// `trainstep`: ms per ViML training step (forward, symmetric InfoNCE, backward, AdamW) in TorchSharp against the
/// same model in PyTorch (bench/peers/train_step.py, Debian python3-torch with OpenBLAS), same shapes and threads.
/// The peer runs as a child process that waits for orders, and the two take turns (A B A B, --rounds rounds of
/// --per-round steps each), so that a busy machine's load falls on both alike; each side's wall and CPU time
/// (user + system, all its threads) per step are compared. Then the optimizer step alone, one-pass against
/// op-by-op on the same gradients, and evaluation throughput (queries/s at pools of N = --pool; 0 skips it).
/// Options: --batch 64 --segments 10 --d 256 --ff 2048 --heads 8 --threads 2 --rounds 6 --per-round 2 --warmup 3
///          --pool 2000 --system-blas (also the peer on Debian's reference BLAS, run alone after the others)
/// </summary>
static class TrainStepBench
{
    public static int Run(string[] args)
    {
        int Arg(string name, int fallback) { int i = Array.IndexOf(args, "--" + name); return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback; }
        int batch = Arg("batch", 64), segments = Arg("segments", 10), d = Arg("d", 256), ff = Arg("ff", 2048), heads = Arg("heads", 8);
        int threads = Arg("threads", 2), rounds = Arg("rounds", 6), perRound = Arg("per-round", 2), warmup = Arg("warmup", 3), pool = Arg("pool", 2000);
        const int dv = 512, dm = 600, dt = 384;
        TorchRuntime.Initialise(threads);
        torch.manual_seed(0);
        var config = new ModelConfig { VideoDimension = dv, MusicDimension = dm, TextDimension = dt, Dimension = d, FeedForward = ff, Heads = heads };
        var model = new VimlModel(config);
        model.train();
        using var opt = new Viml.Training.OwnedScalarAdamW(model.parameters(), 1e-4, 0.01);
        var padding = torch.tensor(Enumerable.Range(0, batch).SelectMany(i => Enumerable.Range(0, segments).Select(j => j >= segments - i % 3)).ToArray(), new long[] { batch, segments });
        using var batchData = new Batch(torch.randn(batch, segments, dv), torch.randn(batch, segments, dm), padding, torch.randn(batch, dt));
        Console.WriteLine($"shapes: batch {batch}, segments {segments}, base {dv}/{dm}/{dt}, d {d}, ff {ff}, heads {heads}, 2+2+2 layers + 2-layer fusion; threads {threads}");
        Console.WriteLine($"load average at start: {LoadAverage()}");

        var ours = new List<StepTime>();
        StepTime Step()
        {
            double c0 = CpuTime.OfProcess();
            var sw = Stopwatch.StartNew();
            double f, b, o;
            using (var scope = torch.NewDisposeScope())
            {
                var loss = model.forward(batchData);
                f = sw.Elapsed.TotalMilliseconds;
                opt.zero_grad();
                loss.backward();
                b = sw.Elapsed.TotalMilliseconds;
                opt.step();
                o = sw.Elapsed.TotalMilliseconds;
            }
            double wall = sw.Elapsed.TotalMilliseconds;
            return new StepTime(wall, (CpuTime.OfProcess() - c0) * 1000, f, b - f, o - b, wall - o);
        }

        string peerArgs = $"--batch {batch} --segments {segments} --d {d} --ff {ff} --heads {heads} --threads {threads}";
        using var peer = OpenBlas() is string blas ? PeerProcess.Start(peerArgs, blas, threads) : null;
        for (int i = 0; i < warmup; i++) Step();
        peer?.Steps(warmup);
        var theirs = new List<StepTime>();
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < perRound; i++) ours.Add(Step());
            if (peer != null) theirs.AddRange(peer.Steps(perRound));
            Console.WriteLine($"round {r + 1}: Viml {ours[^1].Wall:0} ms wall, {ours[^1].Cpu:0} CPU-ms"
                + (peer != null ? $"; PyTorch {theirs[^1].Wall:0} ms wall, {theirs[^1].Cpu:0} CPU-ms" : ""));
        }
        Console.WriteLine($"load average at end:   {LoadAverage()}");
        Console.WriteLine($"Viml (TorchSharp {typeof(torch).Assembly.GetName().Version}, one-pass AdamW): {Describe(ours)}");
        if (peer != null)
        {
            Console.WriteLine($"PyTorch {peer.Version}, OpenBLAS:  {Describe(theirs)}");
            double wallRatio = Median(ours, s => s.Wall) / Median(theirs, s => s.Wall), cpuRatio = Median(ours, s => s.Cpu) / Median(theirs, s => s.Cpu);
            Console.WriteLine($"ratio Viml / PyTorch at {threads} thread(s), {rounds} x {perRound} steps each, interleaved: wall {wallRatio:0.00}, CPU {cpuRatio:0.00} (target <= 1.0); "
                + $"optimizer {Median(ours, s => s.Optimizer) / Median(theirs, s => s.Optimizer):0.00}");
        }
        else Console.WriteLine("no PyTorch peer with OpenBLAS: no ratio");

        // The optimizer step alone on the last gradients: one pass against op by op, alternating.
        var onePass = new List<double>();
        var opByOp = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            opt.Fused = i % 2 == 0;
            var sw = Stopwatch.StartNew();
            opt.step();
            (opt.Fused ? onePass : opByOp).Add(sw.Elapsed.TotalMilliseconds);
        }
        opt.Fused = true;
        Console.WriteLine($"AdamW step alone ({model.parameters().Sum(p => p.numel()):N0} parameters): one-pass {BenchTools.Median(onePass):0.0} ms, "
            + $"op-by-op {BenchTools.Median(opByOp):0.0} ms (x{BenchTools.Median(opByOp) / BenchTools.Median(onePass):0.00})");

        if (Array.IndexOf(args, "--system-blas") >= 0)
        {
            string systemArgs = $"{peerArgs} --steps 3 --warmup 1";
            if (Peer(systemArgs, null, threads) is double p)
                Console.WriteLine($"PyTorch peer, system BLAS: {p:0.0} ms/step (run alone, not interleaved)");
        }
        if (pool <= 0) return 0;

        // Evaluation throughput: N = pool items of 10 segments, each query ranked against its pool of N.
        var rng = new Random(0);
        float[][] Seq(int n, int dim) => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, dim).Select(_ => (float)rng.NextDouble()).ToArray()).ToArray();
        var items = Enumerable.Range(0, pool).Select(i => new TrainingItem($"{i}", Seq(segments, dv), Seq(segments, dm), Seq(1, dt))).ToList();
        using var trained = TrainedModel.From(model);
        double qps = Evaluator.Throughput(trained, items, pool, withText: true);
        Console.WriteLine($"evaluation: {qps:0} queries/s (video + text query embedded, ranked in a pool of {pool}; music pre-embedded)");
        return 0;
    }

    /// <summary>One step's wall and CPU ms, and its parts (release: freeing the step's tensors).</summary>
    sealed record StepTime(double Wall, double Cpu, double Forward, double Backward, double Optimizer, double Release = 0);

    static string Describe(List<StepTime> xs) =>
        $"{Median(xs, s => s.Wall):0.0} ms/step wall, {Median(xs, s => s.Cpu):0.0} CPU-ms/step; forward / backward / optimizer"
        + $"{(xs.Any(s => s.Release > 0) ? " / release" : "")} ms: {Median(xs, s => s.Forward):0.0} / {Median(xs, s => s.Backward):0.0} / "
        + $"{Median(xs, s => s.Optimizer):0.0}{(xs.Any(s => s.Release > 0) ? $" / {Median(xs, s => s.Release):0.0}" : "")}";

    static double Median(List<StepTime> xs, Func<StepTime, double> f) => BenchTools.Median(xs.Select(f));

    /// <summary>bench/peers/train_step.py --serve: the same model, stepping when told.</summary>
    sealed class PeerProcess : IDisposable
    {
        readonly Process _p;
        public string Version { get; }
        PeerProcess(Process p, string version) { _p = p; Version = version; }

        public static PeerProcess? Start(string arguments, string blasDir, int threads)
        {
            EnsureTorch();
            string script = Path.Combine(Viml.IO.ProjectPaths.Root, "bench", "peers", "train_step.py");
            var psi = new ProcessStartInfo("/usr/bin/python3", $"{script} {arguments} --serve")
                { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["LD_LIBRARY_PATH"] = blasDir;
            psi.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString();
            var p = Process.Start(psi)!;
            var err = new System.Text.StringBuilder();
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (err) err.AppendLine(e.Data); };
            p.BeginErrorReadLine();
            string? ready = p.StandardOutput.ReadLine();
            if (ready is null || !ready.StartsWith("ready "))
            {
                p.WaitForExit(5000);
                lock (err) Console.WriteLine($"PyTorch peer failed to start: {ready}\n{err}");
                p.Dispose();
                return null;
            }
            return new PeerProcess(p, ready["ready torch ".Length..]);
        }

        public List<StepTime> Steps(int n)
        {
            _p.StandardInput.WriteLine(n);
            _p.StandardInput.Flush();
            var steps = new List<StepTime>();
            for (string? line = _p.StandardOutput.ReadLine(); line != "done"; line = _p.StandardOutput.ReadLine())
            {
                if (line is null) throw new InvalidOperationException("the PyTorch peer stopped mid-run");
                var x = line.Split(' ').Skip(1).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                steps.Add(new StepTime(x[0], x[1], x[2], x[3], x[4]));
            }
            return steps;
        }

        public void Dispose()
        {
            try { _p.StandardInput.WriteLine("quit"); _p.StandardInput.Close(); _p.WaitForExit(10_000); }
            catch (IOException) { }
            if (!_p.HasExited) _p.Kill();
            _p.Dispose();
        }
    }

    static void EnsureTorch()
    {
        if (RunPython("-c \"import torch\"", out _) == 0) return;
        Console.WriteLine("installing python3-torch (Debian) for the peer ...");
        var apt = Process.Start(new ProcessStartInfo("apt-get", "install -y -q python3-torch") { RedirectStandardOutput = true });
        apt?.StandardOutput.ReadToEnd();
        apt?.WaitForExit();
    }

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
        EnsureTorch();
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
