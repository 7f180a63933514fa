using System.Diagnostics;

namespace Viml.Bench;

/// <summary>Small helpers the benches share: running ffmpeg to make inputs, and reading an option.</summary>
static class BenchTools
{
    /// <summary>Runs ffmpeg quietly (overwriting outputs); throws with its error output when it fails.</summary>
    public static void Ffmpeg(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg: " + err);
    }

    /// <summary>The value after <paramref name="name"/> in <paramref name="args"/>, or <paramref name="def"/>.</summary>
    public static string? Opt(string[] args, string name, string? def)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : def;
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count).</summary>
    public static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>The 1-, 5- and 15-minute load averages, or "?" where /proc/loadavg is absent.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
