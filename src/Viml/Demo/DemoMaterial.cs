using System.Text.Json;
using Viml.IO;
using Viml.Synthetic;

namespace Viml.Demo;

/// <summary>Where the demo's generated material lies.</summary>
public sealed record DemoPaths(string Root)
{
    public string Manifest => Path.Combine(Root, "train", "manifest.jsonl");
    public string MusicFolder => Path.Combine(Root, "catalog-music");
    public string QueryVideo => Path.Combine(Root, "query", "sunny-look.mp4");
    public string Store => Path.Combine(Root, "features");
    public string Checkpoint => Path.Combine(Root, "model");
    public string Catalog => Path.Combine(Root, "catalog");
}

/// <summary>Sizes of the demo material.</summary>
public sealed record DemoOptions(int TrainItemsPerStyle = 8, int CatalogTracksPerStyle = 4, double Seconds = 30);

/// <summary>
/// Generates the demo's material, skipping files already there (so an interrupted demo resumes):
/// training pairs (a video in a look + a piece in one of the look's two styles; each video is paired with
/// a piece of each, as in the paper's "same video, another singer"), a catalog of new
/// pieces in six audio formats, and a query video in the sunny look (folk or jazz) never seen in training.
/// A stamp (<c>demo.json</c>) records the material's version: a folder made by another version is refused
/// rather than mixed.
/// </summary>
public static class DemoMaterial
{
    static readonly string[] Formats = { "mp3", "flac", "ogg", "wav", "m4a", "opus" };
    /// <summary>Version of the material: 2 = two styles per video look.</summary>
    public const int Version = 2;

    static void Stamp(DemoPaths paths)
    {
        string stamp = Path.Combine(paths.Root, "demo.json");
        if (File.Exists(stamp))
        {
            int? v = null;
            try { v = JsonDocument.Parse(File.ReadAllText(stamp)).RootElement.GetProperty("material").GetInt32(); }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException) { }
            if (v == Version) return;
            throw new InvalidInputException($"{paths.Root}: holds demo material of another version ({stamp}: {(v is null ? "unreadable" : $"version {v}")}, this Viml makes version {Version}); delete the folder or choose another with --dir");
        }
        if (Directory.Exists(Path.Combine(paths.Root, "train")) || Directory.Exists(paths.Store))
            throw new InvalidInputException($"{paths.Root}: holds demo material of an older version (no demo.json); delete the folder or choose another with --dir");
        AtomicFile.WriteAllText(stamp, JsonSerializer.Serialize(new { material = Version }));
    }

    public static DemoPaths Generate(string root, DemoOptions? options = null, IProgress<(int Done, int Total, string Item)>? progress = null, CancellationToken ct = default)
    {
        var o = options ?? new DemoOptions();
        var paths = new DemoPaths(Path.GetFullPath(root));
        Stamp(paths);
        var jobs = new List<(string Name, string File, Action<string> Make)>();
        var manifest = new List<string>();
        // One video per look and k, used by two training pairs: with a piece of each of the look's two styles.
        // The video alone cannot say which piece it goes with; the text made from the piece's tags can.
        foreach (var (look, li) in DemoVideo.Looks.Select((l, i) => (l, i)))
            for (int k = 0; k < o.TrainItemsPerStyle; k++)
            {
                int seed = 1000 * (li + 1) + k;
                string video = Path.Combine(paths.Root, "train", "video", $"{look}-{k:00}.mp4");
                jobs.Add(($"{look}-{k:00} video", video, f => Renderer.RenderVideo(DemoVideo.Filter(look, seed, o.Seconds), f, ct)));
            }
        foreach (var (style, si) in DemoMusic.Styles.Select((s, i) => (s, i)))
        {
            for (int k = 0; k < o.TrainItemsPerStyle; k++)
            {
                int seed = 1000 * (si + 1) + k;
                string id = $"{style.Name}-{k:00}";
                string video = Path.Combine(paths.Root, "train", "video", $"{DemoVideo.LookOf[style.Name]}-{k:00}.mp4"), audio = Path.Combine(paths.Root, "train", "music", id + ".flac");
                jobs.Add((id + " music", audio, f => Renderer.RenderMidi(DemoMusic.Compose(style, seed, o.Seconds), f, o.Seconds, ct: ct)));
                manifest.Add(JsonSerializer.Serialize(new { id, video = Path.GetRelativePath(Path.GetDirectoryName(paths.Manifest)!, video), audio = Path.GetRelativePath(Path.GetDirectoryName(paths.Manifest)!, audio) }));
            }
            for (int k = 0; k < o.CatalogTracksPerStyle; k++)
            {
                int seed = 1000 * (si + 1) + 500 + k;
                string file = Path.Combine(paths.MusicFolder, $"{style.Name} {k + 1:00}.{Formats[(si + k) % Formats.Length]}");
                jobs.Add(($"catalog {style.Name} {k + 1}", file, f => Renderer.RenderMidi(DemoMusic.Compose(style, seed, o.Seconds), f, o.Seconds, ct: ct)));
            }
        }
        jobs.Add(("query video", paths.QueryVideo, f => Renderer.RenderVideo(DemoVideo.Filter("sunny", 99_999, o.Seconds), f, ct)));

        int done = 0;
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, job =>
        {
            if (!File.Exists(job.File)) job.Make(job.File);
            progress?.Report((Interlocked.Increment(ref done), jobs.Count, job.Name));
        });
        AtomicFile.WriteAllText(paths.Manifest, string.Join("\n", manifest) + "\n");
        return paths;
    }
}
