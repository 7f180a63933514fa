using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Viml.Media;
using Viml.Rhythm;
using Viml.Synthetic;

namespace Viml.Bench;

/// <summary>
/// Shot-cut detection, Viml beside ffmpeg's own scene detection, on generated videos whose cuts are known
/// (<see cref="CutVideo"/>: demo looks and a restless one, pans and shakes, hard cuts, dissolves, fades through black,
/// white flashes that are not cuts). Viml sees only the frames a query decodes (224x224 at 2 fps, recommend's default,
/// and at the paper's 6 fps); ffmpeg sees every frame: `scdet` at its default threshold 10 and `select=gt(scene,0.4)`.
/// A detection within 0.5 s of a true cut is a hit (each cut once). Prints precision, recall and F1 for each.
/// Options: --data DIR --videos N (12) --first-seed S (101; seeds below 100 were used to set the thresholds)
/// </summary>
public static class CutsBench
{
    const double Tolerance = 0.5;

    public static int Run(string[] args)
    {
        string data = Opt(args, "--data", Path.Combine(Path.GetTempPath(), "viml-bench-cuts"));
        int videos = int.Parse(Opt(args, "--videos", "12")), first = int.Parse(Opt(args, "--first-seed", "101"));
        Directory.CreateDirectory(data);
        var counts = new Dictionary<string, (int Hits, int Detected, int Truth)>();
        void Count(string who, IReadOnlyList<double> found, IReadOnlyList<double> truth)
        {
            var c = counts.GetValueOrDefault(who);
            counts[who] = (c.Hits + Hits(found, truth), c.Detected + found.Count, c.Truth + truth.Count);
        }
        Console.WriteLine($"cuts bench: {videos} generated videos (seeds {first}..{first + videos - 1}) in {data}; hit = within {Tolerance} s");
        for (int seed = first; seed < first + videos; seed++)
        {
            var piece = CutVideo.Compose(seed);
            string file = Path.Combine(data, piece.Name + ".mp4");
            if (!File.Exists(file)) CutVideo.Render(piece, file);
            foreach (double fps in new[] { 2.0, 6.0 })
            {
                var detector = new CutDetector(fps);
                int i = 0;
                foreach (var f in FrameDecoder.Decode(file, fps, 224, 224)) detector.Add((i++ + 0.5) / fps, f.Pixels.Span, f.Width, f.Height);
                Count($"viml, {fps:0} fps", detector.Finish().Cuts, piece.Cuts);
            }
            Count("ffmpeg scdet (threshold 10)", Scdet(file), piece.Cuts);
            Count("ffmpeg select scene>0.4", Select(file, 0.4), piece.Cuts);
            Console.Write('.');
        }
        Console.WriteLine();
        Console.WriteLine($"{"",-30} {"precision",9} {"recall",7} {"F1",6}");
        foreach (var (who, c) in counts)
        {
            double p = c.Detected > 0 ? (double)c.Hits / c.Detected : 0, r = (double)c.Hits / c.Truth;
            Console.WriteLine($"{who,-30} {p,9:0.000} {r,7:0.000} {(p + r > 0 ? 2 * p * r / (p + r) : 0),6:0.000}");
        }
        return 0;
    }

    static int Hits(IReadOnlyList<double> found, IReadOnlyList<double> truth)
    {
        var used = new bool[truth.Count];
        int hits = 0;
        foreach (var d in found)
        {
            int best = -1; double gap = Tolerance;
            for (int i = 0; i < truth.Count; i++)
                if (!used[i] && Math.Abs(truth[i] - d) <= gap) { gap = Math.Abs(truth[i] - d); best = i; }
            if (best >= 0) { used[best] = true; hits++; }
        }
        return hits;
    }

    static double[] Scdet(string file) =>
        Regex.Matches(Ffmpeg(file, "scdet=threshold=10"), @"lavfi\.scd\.time: ([\d.]+)")
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();

    static double[] Select(string file, double threshold) =>
        Regex.Matches(Ffmpeg(file, $"select='gt(scene,{threshold.ToString(CultureInfo.InvariantCulture)})',metadata=print"), @"pts_time:([\d.]+)")
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();

    static string Ffmpeg(string file, string filter)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-hide_banner", "-nostats", "-i", file, "-vf", filter, "-f", "null", "-" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return err + output.Result;
    }

    static string Opt(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
