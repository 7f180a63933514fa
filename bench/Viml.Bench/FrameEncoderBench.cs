using System.Diagnostics;
using Viml.Encoders;
using Viml.Encoders.Onnx;

namespace Viml.Bench;

/// <summary>
/// ResNet18 frame-encoder throughput: the shipped model run as is (batch 1, default session) against the encoder's
/// default execution (and, with --all, the other strategies tried), measured in the same run on the same frames.
/// Usage: frames [--frames 32] [--rounds 3] [--all]
/// </summary>
public static class FrameEncoderBench
{
    public static int Run(string[] args)
    {
        int frames = 32, rounds = 3; bool all = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--frames") frames = int.Parse(args[++i]);
            else if (args[i] == "--rounds") rounds = int.Parse(args[++i]);
            else if (args[i] == "--all") all = true;
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

        Console.WriteLine($"load average before: {LoadAverage()}");
        Console.WriteLine($"ResNet18 frame encoder, {frames} frames of 224x224, {Environment.ProcessorCount} cores, {rounds} rounds (median)");
        // all encoders live at once and are measured in interleaved rounds, so a busy machine hurts all of them alike
        var encoders = variants.Select(v => new ResNet18FrameEncoder(v.Exec)).ToArray();
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
            double baseline = 0;
            for (int k = 0; k < encoders.Length; k++)
            {
                double t = times[k].Order().ElementAt(times[k].Count / 2);
                double fps = frames / t, cpuMs = cpu[k].Order().ElementAt(cpu[k].Count / 2);
                if (k == 0) baseline = fps;
                Console.WriteLine($"{variants[k].Name,-48} {fps,7:F1} frames/s  {1000 / fps,6:F1} ms/frame  {cpuMs,6:F1} CPU-ms/frame  x{fps / baseline:F2}");
            }
        }
        finally { foreach (var e in encoders) e.Dispose(); }
        Console.WriteLine($"load average after: {LoadAverage()} (a busy machine slows every variant; the ratio is the figure to compare)");
        return 0;
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
