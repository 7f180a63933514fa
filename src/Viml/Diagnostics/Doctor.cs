using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TorchSharp;
using Viml.Encoders;
using Viml.Media;
using Viml.Synthetic;
using Viml.Torch;

namespace Viml.Diagnostics;

/// <summary>
/// Checks each real part Viml runs on, by using it: ffmpeg and ffprobe (versions), TorchSharp (a tensor op),
/// the ResNet18 and MiniLM ONNX models (load and embed a generated frame / a sentence), the vendored musicnn
/// weights (load and tag a generated tone), SQLite; and the optional programs: fluidsynth with its General MIDI
/// soundfont (the demo), redis-server (distributed workers), chromium (the browser test).
/// </summary>
public static class Doctor
{
    /// <summary>Every check by the part it checks, in order; run each with <see cref="Run"/>.</summary>
    public static IReadOnlyList<(string Part, Func<PartCheck> Check)> Checks() =>
    [
        ("ffmpeg", () => Program("ffmpeg", MediaProcess.Ffmpeg, "-version", true, "apt-get install ffmpeg")),
        ("ffprobe", () => Program("ffprobe", MediaProcess.Ffprobe, "-version", true, "apt-get install ffmpeg")),
        ("TorchSharp", Torch),
        ("frame encoder", FrameEncoder),
        ("text encoder", TextEncoder),
        ("musicnn", Musicnn),
        ("SQLite", Sqlite),
        ("fluidsynth", () => Program("fluidsynth", "fluidsynth", "--version", false, "apt-get install fluidsynth fluid-soundfont-gm",
            "viml demo", File.Exists(Renderer.DefaultSoundFont) ? null : $"soundfont {Renderer.DefaultSoundFont} missing")),
        ("redis-server", () => Program("redis-server", "redis-server", "--version", false, "apt-get install redis-server",
            "--redis and viml worker")),
        ("chromium", () => Program("chromium", "chromium", "--version", false, "apt-get install chromium chromium-driver",
            "the browser test")),
    ];

    /// <summary>Runs one check; an exception (a model that does not load, a missing file) is a failed line naming it.</summary>
    public static PartCheck Run(string part, Func<PartCheck> check)
    {
        try { return check(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new PartCheck(part, false, e.Message.Split('\n')[0].Trim(), true, "bash scripts/setup (or reinstall Viml)");
        }
    }

    static PartCheck Program(string part, string program, string versionArg, bool required, string install,
        string? neededFor = null, string? alsoMissing = null)
    {
        var psi = new ProcessStartInfo(program, versionArg)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        string output;
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(30_000)) { p.Kill(true); return new PartCheck(part, false, $"{program} {versionArg} did not answer in 30 s", required, install, neededFor); }
            if (output.Trim().Length == 0) output = err.Result;
            if (p.ExitCode != 0) return new PartCheck(part, false, $"{program} {versionArg} exited {p.ExitCode}", required, install, neededFor);
        }
        catch (Win32Exception) { return new PartCheck(part, false, $"{program}: not found", required, install, neededFor); }
        string first = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        foreach (var noise in new[] { " Copyright", " sha=", " built on" })   // the version, not the banner
            if (first.IndexOf(noise, StringComparison.Ordinal) is > 0 and var cut) first = first[..cut];
        if (alsoMissing is not null) return new PartCheck(part, false, $"{first}; {alsoMissing}", required, install, neededFor);
        return new PartCheck(part, true, first, required, null, neededFor);
    }

    static PartCheck Torch()
    {
        TorchRuntime.Initialise();
        using var scope = torch.NewDisposeScope();
        float sum = (torch.ones(2, 3) * 2).sum().item<float>();
        string version = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?";
        return new PartCheck("TorchSharp", sum == 12f, $"TorchSharp {version} (libtorch CPU): 2*ones(2,3).sum() = {sum}", true,
            "bash scripts/setup (rebuild: the libLibTorchSharp.so load fix is applied at build)");
    }

    static PartCheck FrameEncoder()
    {
        using var encoder = EncoderRegistry.CreateFrameEncoder();
        int w = encoder.InputWidth, h = encoder.InputHeight;
        var pixels = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 3;
                pixels[i] = (byte)(255 * x / w); pixels[i + 1] = (byte)(255 * y / h); pixels[i + 2] = 128;
            }
        var v = encoder.Embed([new RgbFrame(w, h, pixels)])[0];
        return Vector("frame encoder", $"{encoder.Name} (ONNX Runtime): a {w}x{h} gradient frame", v, encoder.Dimension);
    }

    static PartCheck TextEncoder()
    {
        using var encoder = EncoderRegistry.CreateTextEncoder();
        var v = encoder.Embed(["a calm piano piece"])[0];
        return Vector("text encoder", $"{encoder.Name} (ONNX Runtime): \"a calm piano piece\"", v, encoder.Dimension);
    }

    static PartCheck Vector(string part, string what, float[] v, int dimension)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        bool ok = v.Length == dimension && v.All(float.IsFinite) && norm > 0;
        return new PartCheck(part, ok, $"{what} -> {v.Length}-d vector, norm {norm:0.00}", true, "bash scripts/setup (restores the encoder packages)");
    }

    /// <summary>The three musicnn taggers on 3 s of a 220 Hz tone with harmonics (one patch, the taggers' unit):
    /// finite features, confidences in [0, 1]. 10 s (three patches) checked nothing more and took most of the doctor's time.</summary>
    static PartCheck Musicnn()
    {
        using var encoder = new MusicnnEncoder();
        var tone = new float[encoder.SampleRate * 3];
        for (int i = 0; i < tone.Length; i++)
        {
            double t = (double)i / encoder.SampleRate;
            tone[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 220 * t) + 0.15 * Math.Sin(2 * Math.PI * 440 * t) + 0.05 * Math.Sin(2 * Math.PI * 660 * t));
        }
        var r = encoder.Embed([tone])[0];
        bool ok = r.Embedding.Length == encoder.Dimension && r.Embedding.All(float.IsFinite) && r.Tags.All(c => c is >= 0 and <= 1);
        int top = Array.IndexOf(r.Tags, r.Tags.Max());
        return new PartCheck("musicnn", ok,
            $"MSD, MTT, MTG-Jamendo weights: a 220 Hz tone -> {r.Embedding.Length}-d feature, top tag {encoder.Tags[top].Name} {r.Tags[top]:0.00}",
            true, "reinstall Viml: its models/music folder is incomplete");
    }

    static PartCheck Sqlite()
    {
        using var c = new SqliteConnection("Data Source=:memory:");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT sqlite_version()";
        return new PartCheck("SQLite", true, $"SQLite {cmd.ExecuteScalar()}", true, "bash scripts/setup (restores Microsoft.Data.Sqlite)");
    }
}
