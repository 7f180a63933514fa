using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using Viml.Encoders;
using Viml.Encoders.Musicnn;
using Viml.IO;
using Viml.Model;
using Viml.Torch;

namespace Viml.Bench;

/// <summary>
/// Music encoder speed. (1) <see cref="MusicnnEncoder"/> end to end (front ends + the three taggers):
/// seconds of audio embedded per second (x real time). (2) The MSD musicnn network alone on log-mel
/// patches, against the same network in PyTorch (bench/peers/musicnn_msd_torch.py, /usr/bin/python3)
/// with the same threads, patches and batch size.
/// Options: --threads N (2) --seconds S (60) --patches P (48) --batch B (16) --repeats R (3) --python PATH
/// </summary>
public static class MusicBench
{
    public static int Run(string[] args)
    {
        int threads = Opt(args, "--threads", 2), seconds = Opt(args, "--seconds", 60), patches = Opt(args, "--patches", 48),
            batch = Opt(args, "--batch", 16), repeats = Opt(args, "--repeats", 3);
        string python = OptS(args, "--python", "/usr/bin/python3");
        TorchRuntime.Initialise(threads);
        Console.WriteLine($"music bench: {threads} thread(s), {seconds} s of audio, {patches} patches in batches of {batch}, best of {repeats}");

        // (1) End to end, 10-s segments of a deterministic test signal.
        using var encoder = new MusicnnEncoder(new MusicnnOptions(threads, batch));
        var rng = new Random(0);
        var segments = Enumerable.Range(0, seconds / 10).Select(s => Enumerable.Range(0, 160000)
            .Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * (110 * (s + 1)) * i / 16000.0) + 0.05 * (rng.NextDouble() - 0.5))).ToArray()).ToList();
        encoder.Embed(segments.Take(1).ToList()); // warm-up
        double best = Best(repeats, () => encoder.Embed(segments));
        Console.WriteLine($"MusicnnEncoder (MSD+MTT+Jamendo, front ends included): {seconds / best:f2} x real time ({best:f2} s for {seconds} s)");

        // (2) The MSD network alone vs PyTorch.
        string weights = ProjectPaths.Vendored("models/music/msd-musicnn/jordipons_msd_musicnn_torchlayout.safetensors");
        using var model = MusicnnWeights.LoadPons(weights);
        using var input = torch.rand(new long[] { patches, 187, 96 }, generator: new torch.Generator(0)) * 3;
        double Forward()
        {
            using var _ = torch.no_grad();
            for (long s = 0; s < patches; s += batch)
                using (var r = model.forward(input.narrow(0, s, Math.Min(batch, patches - s)))) { }
            return 0;
        }
        Forward();
        double ours = patches / Best(repeats, () => Forward());
        Console.WriteLine($"MSD musicnn, TorchSharp: {ours:f2} patches/s");

        string script = Path.Combine(ProjectPaths.Root, "bench", "peers", "musicnn_msd_torch.py");
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, weights, "--threads", $"{threads}", "--patches", $"{patches}", "--batch", $"{batch}", "--repeats", $"{repeats}" })
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException(stderr.Trim());
            var json = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
            double peer = json.GetProperty("patches_per_second").GetDouble();
            Console.WriteLine($"MSD musicnn, PyTorch {json.GetProperty("torch").GetString()}: {peer:f2} patches/s");
            Console.WriteLine($"ratio TorchSharp / PyTorch: {ours / peer:f2}");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
        {
            Console.WriteLine($"PyTorch peer unavailable ({python}): {e.Message}");
        }
        return 0;
    }

    static double Best(int repeats, Func<object?> run)
    {
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    static int Opt(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) && v > 0 ? v : fallback;
    }

    static string OptS(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
