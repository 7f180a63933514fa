using System.Text.Json;
using Viml.IO;

namespace Viml.Demo;

/// <summary>Where the demo's generated material lies.</summary>
public sealed record DemoPaths(string Root)
{
    public string Manifest => Path.Combine(Root, "train", "manifest.jsonl");
    public string MusicFolder => Path.Combine(Root, "catalog-music");
    public string QueryVideo => Path.Combine(Root, "query", "folk-look.mp4");
    public string Store => Path.Combine(Root, "features");
    public string Checkpoint => Path.Combine(Root, "model");
    public string Catalog => Path.Combine(Root, "catalog");
}

/// <summary>Sizes of the demo material.</summary>
public sealed record DemoOptions(int TrainItemsPerStyle = 8, int CatalogTracksPerStyle = 4, double Seconds = 30);

/// <summary>
/// Generates the demo's material, skipping files already there (so an interrupted demo resumes):
/// training pairs (a video in a style's look + a piece in that style), a catalog of new pieces in
/// six audio formats, and a query video in the folk look never seen in training.
/// </summary>
public static class DemoMaterial
{
    static readonly string[] Formats = { "mp3", "flac", "ogg", "wav", "m4a", "opus" };

    public static DemoPaths Generate(string root, DemoOptions? options = null, IProgress<(int Done, int Total, string Item)>? progress = null, CancellationToken ct = default)
    {
        var o = options ?? new DemoOptions();
        var paths = new DemoPaths(Path.GetFullPath(root));
        var jobs = new List<(string Name, string File, Action<string> Make)>();
        var manifest = new List<string>();
        foreach (var (style, si) in DemoMusic.Styles.Select((s, i) => (s, i)))
        {
            for (int k = 0; k < o.TrainItemsPerStyle; k++)
            {
                int seed = 1000 * (si + 1) + k;
                string id = $"{style.Name}-{k:00}";
                string video = Path.Combine(paths.Root, "train", "video", id + ".mp4"), audio = Path.Combine(paths.Root, "train", "music", id + ".flac");
                jobs.Add((id + " video", video, f => Renderer.RenderVideo(DemoVideo.Filter(style.Name, seed, o.Seconds), f, ct)));
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
        jobs.Add(("query video", paths.QueryVideo, f => Renderer.RenderVideo(DemoVideo.Filter("folk", 99_999, o.Seconds), f, ct)));

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
