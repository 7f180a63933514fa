using Viml.Catalog;
using Viml.Demo;
using Viml.Encoders;
using Viml.Synthetic;

namespace Viml.Bench;

/// <summary>
/// Sets the pace weight on held-out generated pairs: new videos in the demo's three looks (seeds the demo never used),
/// each look shared by two music styles whose tempi differ (night: ballad and strings, slow; neon: rock and techno,
/// fast; sunny: folk and jazz, in between). For each weight, the demo's trained model and catalog rank the tracks for
/// every video (video only); a track is right when its style belongs to the video's look. Prints precision@1 and
/// precision@4 per weight. Needs a finished `viml demo` folder.
/// Options: --demo DIR (.viml/demo) --videos N per look (4) --fps F (2)
/// </summary>
public static class PaceBench
{
    public static int Run(string[] args)
    {
        string demo = Opt(args, "--demo", Path.Combine(".viml", "demo"));
        int perLook = int.Parse(Opt(args, "--videos", "4"));
        double fps = double.Parse(Opt(args, "--fps", "2"), System.Globalization.CultureInfo.InvariantCulture);
        var paths = new DemoPaths(Path.GetFullPath(demo));
        string checkpoint = Path.Combine(paths.Root, "runs", "viml", "last");
        if (!MusicCatalog.Exists(paths.Catalog)) { Console.Error.WriteLine($"{paths.Catalog}: run `viml demo --dir {demo}` first"); return 2; }
        string held = Path.Combine(paths.Root, "pace-bench");
        Directory.CreateDirectory(held);
        var videos = new List<(string Look, string File)>();
        foreach (var look in DemoVideo.Looks)
            for (int k = 0; k < perLook; k++)
            {
                string file = Path.Combine(held, $"{look}-{k}.mp4");
                if (!File.Exists(file)) Renderer.RenderVideo(DemoVideo.Filter(look, 70_000 + 100 * k + look.Length, 30), file);
                videos.Add((look, file));
            }

        using var model = new TrainedCatalogModel(checkpoint);
        using var frames = EncoderRegistry.CreateFrameEncoder();
        using var text = EncoderRegistry.CreateTextEncoder();
        using var service = new RecommendService(MusicCatalog.Open(paths.Catalog), CatalogParts.Query(model, frames, text, fps));
        double[] weights = [0, 0.025, 0.05, 0.1, 0.2, 0.4, 1];
        var hits1 = new double[weights.Length];
        var hits4 = new double[weights.Length];
        foreach (var (look, file) in videos)
            for (int w = 0; w < weights.Length; w++)
            {
                var r = service.Recommend(file, null, new RecommendOptions(Top: 4), rhythm: new RhythmOptions(Pace: weights[w]));
                bool Right(Recommendation x) => DemoVideo.LookOf.Any(kv => kv.Value == look && Path.GetFileName(x.Track.Path).StartsWith(kv.Key + " "));
                hits1[w] += Right(r.Items[0]) ? 1 : 0;
                hits4[w] += r.Items.Count(Right) / 4.0;
            }
        Console.WriteLine($"pace bench: {videos.Count} held-out videos ({perLook} per look), catalog {paths.Catalog}, {fps} fps");
        Console.WriteLine($"{"pace weight",12} {"P@1",6} {"P@4",6}");
        for (int w = 0; w < weights.Length; w++)
            Console.WriteLine($"{weights[w],12:0.###} {hits1[w] / videos.Count,6:0.000} {hits4[w] / videos.Count,6:0.000}");
        return 0;
    }

    static string Opt(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
