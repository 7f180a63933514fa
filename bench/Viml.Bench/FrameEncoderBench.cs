using System.Diagnostics;
using Viml.Encoders;
using Viml.Encoders.Onnx;
using Viml.Media;

namespace Viml.Bench;

/// <summary>
/// ResNet18 frame-encoder throughput: the shipped model run as is (batch 1, default session) against the encoder's
/// default execution (and, with --all, the other strategies tried), measured in the same run on the same frames.
/// With --precision int8 (or both), the int8 model is measured against fp32 at the default execution too, and the
/// fraction of the CPU's peak is printed (see <see cref="PeakGflops"/>).
/// Usage: frames [--frames 32] [--rounds 3] [--all] [--precision fp32|int8|both]
/// </summary>
public static class FrameEncoderBench
{
    public static int Run(string[] args)
    {
        int frames = 32, rounds = 3; bool all = false, int8 = true;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--frames") frames = int.Parse(args[++i]);
            else if (args[i] == "--rounds") rounds = int.Parse(args[++i]);
            else if (args[i] == "--all") all = true;
            else if (args[i] == "--precision") int8 = args[++i] != "fp32";
        }
        var rng = new Random(1);
        var batch = Enumerable.Range(0, frames).Select(_ =>
        {
            var px = new byte[224 * 224 * 3]; rng.NextBytes(px); return new RgbFrame(224, 224, px);
        }).ToArray();

        var variants = new List<(string Name, OnnxExecution Exec)> { ("baseline: batch 1, default session", OnnxExecution.Baseline) };
        if (all)
        {
            variants.Add(("batch 1, default session + no spinning", new OnnxExecution(BatchSize: 1, Sessions: 1, SymbolicBatch: false, DefaultSession: true, Spinning: false)));
            variants.Add(("batch 1, 1 session x 2 threads, spinning", new OnnxExecution(BatchSize: 1, Sessions: 1, SymbolicBatch: false, Spinning: true)));
            variants.Add(("batch 1, 1 session x 2 threads", new OnnxExecution(BatchSize: 1, Sessions: 1, SymbolicBatch: false)));
            variants.Add(("batch 1, 2 sessions x 1 thread", new OnnxExecution(BatchSize: 1, Sessions: 2, SymbolicBatch: false)));
            variants.Add(("symbolic batch 4, 1 session x 2 threads", new OnnxExecution(BatchSize: 4, Sessions: 1)));
            variants.Add(("symbolic batch 16, 1 session x 2 threads", new OnnxExecution(BatchSize: 16, Sessions: 1)));
            variants.Add(("symbolic batch 16, 2 sessions x 1 thread", new OnnxExecution(BatchSize: 16, Sessions: 2)));
        }
        variants.Add(("Viml default", OnnxExecution.Default));
        var precisions = variants.Select(_ => FramePrecision.Fp32).ToList();
        if (int8) { variants.Add(("Viml default, int8", OnnxExecution.Default)); precisions.Add(FramePrecision.Int8); }

        Console.WriteLine($"load average before: {LoadAverage()}");
        Console.WriteLine($"ResNet18 frame encoder, {frames} frames of 224x224, {Environment.ProcessorCount} cores, {rounds} rounds (median)");
        // all encoders live at once and are measured in interleaved rounds, so a busy machine hurts all of them alike
        var encoders = variants.Select((v, k) => new ResNet18FrameEncoder(v.Exec, precisions[k])).ToArray();
        try
        {
            foreach (var e in encoders) for (int w = 0; w < 2; w++) e.Embed(batch.Take(Math.Min(frames, e.Execution.BatchSize * e.Execution.SessionCount)).ToArray());
            var times = encoders.Select(_ => new List<double>()).ToArray();
            var cpu = encoders.Select(_ => new List<double>()).ToArray();
            var process = Process.GetCurrentProcess();
            for (int r = 0; r < rounds; r++)
                for (int k = 0; k < encoders.Length; k++)
                {
                    process.Refresh();
                    var cpu0 = process.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    encoders[k].Embed(batch);
                    times[k].Add(sw.Elapsed.TotalSeconds);
                    process.Refresh();
                    cpu[k].Add((process.TotalProcessorTime - cpu0).TotalMilliseconds / frames);
                }
            double baseline = 0, fp32Fps = 0, int8Fps = 0;
            for (int k = 0; k < encoders.Length; k++)
            {
                double t = times[k].Order().ElementAt(times[k].Count / 2);
                double fps = frames / t, cpuMs = cpu[k].Order().ElementAt(cpu[k].Count / 2);
                if (k == 0) baseline = fps;
                if (variants[k].Name == "Viml default") fp32Fps = fps;
                Console.WriteLine($"{variants[k].Name,-48} {fps,7:F1} frames/s  {1000 / fps,6:F1} ms/frame  {cpuMs,6:F1} CPU-ms/frame  x{fps / baseline:F2}"
                    + $"  {fps * GmacPerFrame / PeakGmacs(precisions[k]):P1} of peak");
                if (precisions[k] == FramePrecision.Int8) int8Fps = fps;
            }
            if (int8Fps > 0)
                Console.WriteLine($"int8 / fp32 (Viml default execution): x{int8Fps / fp32Fps:F2}; peaks assumed on {Environment.ProcessorCount} cores " +
                                  $"at {ClockGhz():F2} GHz: fp32 {PeakGmacs(FramePrecision.Fp32):F0}, int8 {PeakGmacs(FramePrecision.Int8):F0} " +
                                  $"G multiply-adds/s ({PeakGmacs(FramePrecision.Fp32) / GmacPerFrame:F0} and " +
                                  $"{PeakGmacs(FramePrecision.Int8) / GmacPerFrame:F0} frames/s), {GmacPerFrame} G multiply-adds a frame");
        }
        finally { foreach (var e in encoders) e.Dispose(); }
        Console.WriteLine($"load average after: {LoadAverage()} (a busy machine slows every variant; the ratio is the figure to compare)");
        return 0;
    }

    /// <summary>ResNet18 at 224x224: 1.82 G multiply-adds a frame (the "1.8 GFLOP" usually quoted counts multiply-adds).</summary>
    const double GmacPerFrame = 1.82;

    /// <summary>
    /// Peak multiply-adds per second assumed: per core and cycle, fp32 on two 512-bit FMA pipes = 2 x 16 = 32;
    /// int8 with AVX-512 VNNI (VPDPBUSD: 64 u8 x s8 multiply-adds, two a cycle) = 128; at the clock /proc/cpuinfo
    /// reports (2.3 GHz when unknown). A CPU without these units has a lower peak than assumed here.
    /// </summary>
    static double PeakGmacs(FramePrecision p) => Environment.ProcessorCount * ClockGhz() * (p == FramePrecision.Int8 ? 128 : 32);

    static double ClockGhz()
    {
        var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("cpu MHz")) : null;
        return line != null && double.TryParse(line.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture, out var mhz) ? mhz / 1000 : 2.3;
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
