using System.Diagnostics;
using Viml.Catalog;
using Viml.Evaluation;
using Viml.Model;
using Viml.Tests.Catalog;
using Viml.Torch;

namespace Viml.Tests.Hostile;

/// <summary>
/// The good material hostile cases are made from, generated once per test run under one temp folder:
/// a short tone, a short video, a tiny freshly initialised checkpoint with the real encoders' sizes
/// (musicnn 600, ResNet18 512, MiniLM 384), an empty catalog made for it, and a small synthetic store.
/// Also the mounts a case needs (a read-only tmpfs, a tiny full tmpfs), unmounted when the run ends.
/// </summary>
static class HostileWorld
{
    static readonly Lazy<string> _root = new(() =>
    {
        var d = Directory.CreateTempSubdirectory("viml-hostile-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Cleanup(d);
        return d;
    });
    public static string Root => _root.Value;

    static readonly Lazy<string> _tone = new(() => TestParts.Tone(Path.Combine(Root, "tone.wav"), 440, 3));
    /// <summary>3 s of a 440 Hz sine, 44.1 kHz WAV.</summary>
    public static string Tone => _tone.Value;

    static readonly Lazy<string> _video = new(() => TestParts.Video(Path.Combine(Root, "clip.mp4"), 3));
    /// <summary>3 s of testsrc2, H.264 in MP4 (moov at the end), no audio.</summary>
    public static string Video => _video.Value;

    /// <summary>A tiny ViML config with the real encoders' base feature sizes.</summary>
    public static ModelConfig TinyModel => new() { Dimension = 16, Heads = 2, Layers = 1, FeedForward = 32, FusionHidden = 24 };

    static readonly Lazy<string> _checkpoint = new(() => WriteCheckpoint(Path.Combine(Root, "checkpoint"), TinyModel, seed: 1));
    /// <summary>A freshly initialised (seeded) checkpoint folder: config.json + model.safetensors.</summary>
    public static string Checkpoint => _checkpoint.Value;

    public static string WriteCheckpoint(string dir, ModelConfig config, int seed)
    {
        TorchRuntime.Initialise();
        lock (typeof(TorchRuntime))
        {
            TorchSharp.torch.manual_seed(seed);
            using var model = new VimlModel(config);
            Viml.Model.Checkpoint.Save(dir, model);
        }
        return dir;
    }

    static readonly Lazy<string> _catalog = new(() =>
    {
        string dir = Path.Combine(Root, "catalog");
        var info = new CatalogInfo("musicnn", 600, [], TrainedCatalogModel.IdOf(Checkpoint), TinyModel.Dimension);
        MusicCatalog.OpenOrCreate(dir, info);
        return dir;
    });
    /// <summary>An empty catalog folder made for <see cref="Checkpoint"/>.</summary>
    public static string Catalog => _catalog.Value;

    public static readonly SyntheticConfig TinyData = new() { Train = 48, Validation = 16, Test = 8, MinSegments = 2, MaxSegments = 4, VideoDimension = 12, MusicDimension = 10, TextDimension = 8 };

    static readonly Lazy<string> _store = new(() =>
    {
        string dir = Path.Combine(Root, "store");
        new SyntheticBenchmark(TinyData).WriteStore(dir);
        return dir;
    });
    /// <summary>A small synthetic feature store with <c>texts/tags.jsonl</c>.</summary>
    public static string Store => _store.Value;

    /// <summary>A copy of the synthetic store that a case may damage.</summary>
    public static string CopyStore(string dir)
    {
        foreach (var f in Directory.EnumerateFiles(Store, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(dir, Path.GetRelativePath(Store, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return dir;
    }

    /// <summary>A train config JSON for <paramref name="store"/> writing to <paramref name="output"/>: 2 epochs of a tiny model.</summary>
    public static string TrainConfigJson(string store, string output, string model = """{"dimension": 16, "heads": 2, "layers": 1, "feed_forward": 32, "fusion_hidden": 24}""") =>
        $$"""{"store": "{{store}}", "texts": "tags", "text_encoder": "synthetic", "output": "{{output}}", "batch_size": 16, "epochs": 2, "learning_rate": 0.001, "validation_pool": 16, "seed": 3, "threads": 1, "model": {{model}}}""";

    // ---- mounts ---------------------------------------------------------------------------------

    static readonly List<string> Mounts = new();
    static readonly Lazy<string?> _mountRefusal = new(() =>
    {
        string probe = Path.Combine(Root, "mount-probe");
        Directory.CreateDirectory(probe);
        var (ok, err) = Sh("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", probe);
        if (!ok) return $"mount -t tmpfs refused: {err.Trim()}";
        Sh("umount", probe);
        return null;
    });

    /// <summary>Null when this process may mount a tmpfs (root with CAP_SYS_ADMIN), else why not.</summary>
    public static string? MountRefusal => _mountRefusal.Value;

    /// <summary>Mounts a tmpfs of <paramref name="size"/> at <paramref name="dir"/>; read-only when asked.</summary>
    public static void MountTmpfs(string dir, string size, bool readOnly = false)
    {
        Directory.CreateDirectory(dir);
        var (ok, err) = Sh("mount", "-t", "tmpfs", "-o", (readOnly ? "ro," : "") + "size=" + size, "tmpfs", dir);
        if (!ok) throw new InvalidOperationException($"mount tmpfs at {dir}: {err}");
        lock (Mounts) Mounts.Add(dir);
    }

    /// <summary>Fills a mounted tmpfs until about <paramref name="leaveBytes"/> bytes are left.</summary>
    public static void Fill(string dir, long leaveBytes)
    {
        var drive = new DriveInfo(dir);
        long fill = drive.AvailableFreeSpace - leaveBytes;
        if (fill > 0) File.WriteAllBytes(Path.Combine(dir, "filler.bin"), new byte[fill]);
    }

    public static void Unmount(string dir)
    {
        Sh("umount", "-l", dir);
        lock (Mounts) Mounts.Remove(dir);
    }

    static void Cleanup(string root)
    {
        string[] mounts;
        lock (Mounts) mounts = Mounts.ToArray();
        foreach (var m in mounts) Sh("umount", "-l", m);
        try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static (bool Ok, string Err) Sh(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode == 0, err.Result);
    }
}
