using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Viml.Catalog;
using Viml.Demo;
using Viml.Diagnostics;
using Viml.Synthetic;
using Viml.Encoders;
using Viml.Features;
using Viml.IO;
using Viml.Model;
using Viml.Training;

namespace Viml.Bench;

/// <summary>
/// The text knob's default, chosen on validation data, and an MT checkpoint on real sentences, in one run on the
/// demo's kind of material (made smaller): music in six styles and videos in three looks, each look shared by two
/// styles, so that a video narrows the music to a pair and only words can pick within it. The bench runs the
/// product's own verbs (features, synth-text, train, catalog add) and then scores in-process.
/// <para>Knob: queries are new videos of each look (never trained on) with a MusicCaps caption naming one style of
/// that look's pair; right = a catalog track of that style. Every w of a grid blends the ViML checkpoint's
/// video-only score (w = 0), its video + text score (0.5) and the words-alone score (1) as <see cref="Steering"/>
/// does (each standardised over the catalog's segments, neighbours mixed linearly); w is chosen by MRR on the
/// validation captions and reported on the test captions (MusicCaps' AudioSet eval split).</para>
/// <para>MT: an MT checkpoint trained on the same pairs' texts (data2text from the pieces' tags); every test caption
/// ranks the catalog by the MT text branch against the MT music embedding, beside words alone and chance.</para>
/// Options: --dir D (.viml/bench-knob) --per-style N (8) --catalog-per-style N (4) --seconds S (10) --fps F (1) --epochs E (100)
/// --threads T (training threads, 0 = all; 1 on a machine busy with other work, where two threads wait on each other)
/// </summary>
public static class KnobBench
{
    static readonly double[] Grid = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1];

    public static int Run(string[] args)
    {
        string dir = Path.GetFullPath(Opt(args, "--dir", ".viml/bench-knob"));
        int perStyle = int.Parse(Opt(args, "--per-style", "8"), CultureInfo.InvariantCulture);
        int catalogPerStyle = int.Parse(Opt(args, "--catalog-per-style", "4"), CultureInfo.InvariantCulture);
        double seconds = double.Parse(Opt(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        string fps = Opt(args, "--fps", "1"), epochs = Opt(args, "--epochs", "100"), threads = Opt(args, "--threads", "0");
        var clock = Stopwatch.StartNew();
        var material = new StepClock();
        var paths = DemoMaterial.Generate(dir, new DemoOptions(perStyle, catalogPerStyle, seconds));
        string queries = QueryVideos(paths, seconds);
        Console.WriteLine($"material ready ({clock.Elapsed:mm\\:ss}; took {material})");
        Viml("features", paths.Manifest, "--out", paths.Store, "--fps", fps);
        Viml("features", queries, "--out", Path.Combine(dir, "query-features"), "--fps", fps);
        Viml("synth-text", "--store", paths.Store, "--approach", "data2text", "--per-item", "3");
        foreach (var variant in new[] { "viml", "mt" })
        {
            string config = Path.Combine(dir, variant + ".json");
            // The demo's recipe for so few pairs (text dropout 0.2, batch 16, learning rate 1e-4: DemoCommand).
            AtomicFile.WriteAllText(config, $$"""
                { "store": "features", "texts": "data2text", "output": "runs/{{variant}}",
                  "model": { "variant": "{{variant}}", "text_dropout": 0.2 }, "batch_size": 16, "epochs": {{epochs}},
                  "learning_rate": 0.0001, "validation_fraction": 0.15, "test_fraction": 0.0, "seed": 1,
                  "threads": {{threads}} }
                """);
            Viml("train", "--config", config);
        }
        string viml = Path.Combine(dir, "runs", "viml", "last"), mt = Path.Combine(dir, "runs", "mt", "last");
        Viml("catalog", "add", paths.MusicFolder, "--catalog", paths.Catalog, "--model", viml);
        Console.WriteLine($"features, texts, two models and the catalog ready ({clock.Elapsed:mm\\:ss})");

        var captions = CaptionStyles.Queries();
        var catalog = MusicCatalog.Open(paths.Catalog);
        using var text = EncoderRegistry.CreateTextEncoder("minilm");
        var words = WordSearch.Open(catalog, text);
        var styleOf = catalog.Tracks().ToDictionary(t => t.Id, t => t.Metadata.Title.Split(' ')[0]);
        var position = words.Segments.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        var features = new float[words.Segments.Count][];
        var trackFeatures = new Dictionary<long, float[][]>();
        foreach (var t in catalog.Tracks())
        {
            var (id, segs, f) = catalog.FeaturesOf(t.Id);
            trackFeatures[id] = f;
            for (int i = 0; i < segs.Length; i++) features[position[segs[i]]] = f[i];
        }
        var textBase = Batches(captions.Select(c => c.Text).ToList(), text);
        var wordScores = captions.Select(c => SegmentRanking.Standardise(words.Score(c.Text))).ToList();

        using (var model = TrainedModel.Load(viml))
            Knob(model, captions, textBase, wordScores, features, words, styleOf, Path.Combine(dir, "query-features"));
        using (var model = TrainedModel.Load(mt))
            Mt(model, captions, textBase, wordScores, words, styleOf, trackFeatures);
        Console.WriteLine($"done in {clock.Elapsed:mm\\:ss}");
        return 0;
    }

    static void Knob(TrainedModel model, IReadOnlyList<(string Text, string Style, bool Test)> captions, float[][] textBase,
        IReadOnlyList<float[]> wordScores, float[][] segmentFeatures, WordSearch words, Dictionary<long, string> styleOf, string queryStore)
    {
        var music = model.EmbedMusicBatch(segmentFeatures.Select(f => new[] { f }).ToList());
        var videos = FeatureStore.Open(queryStore).ReadAll().ToList();
        // One row per (video, caption naming a style of the video's look): the three standardised parts.
        var rows = new List<(bool Test, string Style, float[] Video, float[] VideoText, float[] Words)>();
        foreach (var v in videos)
        {
            string look = v.Id.Split('-')[0];
            var mine = Enumerable.Range(0, captions.Count).Where(i => DemoVideo.LookOf[captions[i].Style] == look).ToList();
            var alone = Scores(model.EmbedQuery(v.Video, null), music);
            var steered = model.EmbedQueries(mine.Select(_ => v.Video).ToList(), mine.Select(i => (float[]?)textBase[i]).ToList());
            for (int j = 0; j < mine.Count; j++)
                rows.Add((captions[mine[j]].Test, captions[mine[j]].Style, alone, Scores(steered[j], music), wordScores[mine[j]]));
        }
        Metrics At(double w, bool test) => new(rows.Where(r => r.Test == test)
            .Select(r => RankOfStyle(words, styleOf, Blend(w, r.Video, r.VideoText, r.Words), r.Style)).ToList());
        int nVal = rows.Count(r => !r.Test), nTest = rows.Count(r => r.Test);
        Console.WriteLine();
        Console.WriteLine($"text knob: {videos.Count} new query videos x the captions naming a style of their look's pair: "
            + $"{nVal} validation queries, {nTest} test queries; {styleOf.Count} catalog tracks");
        Console.WriteLine("| w | validation MRR | validation R@1 | test MRR | test R@1 | test R@5 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var sweep = Grid.Select(w => (w, Val: At(w, false), Test: At(w, true))).ToList();
        foreach (var (w, val, test) in sweep)
            Console.WriteLine($"| {w:0.###} | {val.Mrr:0.000} | {100 * val.R1:0.0} | {test.Mrr:0.000} | {100 * test.R1:0.0} | {100 * test.R5:0.0} |");
        var chosen = sweep.OrderByDescending(x => x.Val.Mrr).ThenBy(x => Math.Abs(x.w - 0.75)).First();
        Console.WriteLine($"chosen on validation: w = {chosen.w:0.###} (MRR {chosen.Val.Mrr:0.000}); shipped default {Steering.DefaultTextWeight}");
    }

    static void Mt(TrainedModel model, IReadOnlyList<(string Text, string Style, bool Test)> captions, float[][] textBase,
        IReadOnlyList<float[]> wordScores, WordSearch words, Dictionary<long, string> styleOf, Dictionary<long, float[][]> trackFeatures)
    {
        var ids = trackFeatures.Keys.Order().ToList();
        var music = model.EmbedMusicBatch(ids.Select(id => trackFeatures[id]).ToList());
        var test = Enumerable.Range(0, captions.Count).Where(i => captions[i].Test).ToList();
        var queries = model.EmbedQueries(test.Select(_ => Array.Empty<float[]>()).ToList(), test.Select(i => (float[]?)textBase[i]).ToList());
        var mtRanks = test.Select((i, j) =>
        {
            var order = ids.Select((id, k) => (id, s: Dot(queries[j], music[k]))).OrderByDescending(x => x.s).ThenBy(x => x.id).ToList();
            return order.FindIndex(x => styleOf[x.id] == captions[i].Style) + 1;
        }).ToList();
        var wordRanks = test.Select(i => RankOfStyle(words, styleOf, wordScores[i], captions[i].Style)).ToList();
        int perStyle = styleOf.Count / 6;
        Console.WriteLine();
        Console.WriteLine($"| sentence -> track (test: {test.Count} MusicCaps captions, {ids.Count} tracks) | R@1 | R@5 | R@10 | MRR |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("MT checkpoint trained here (text branch vs its music embedding)", new Metrics(mtRanks));
        Row("words alone (no model)", new Metrics(wordRanks));
        Row("chance (expected)", WordsBench.Chance(ids.Count, perStyle));
    }

    /// <summary>Steering's rule: 0 video only, 0.5 video + text, 1 words; neighbours mixed linearly.</summary>
    static float[] Blend(double w, float[] video, float[] videoText, float[] words)
    {
        double a = w < 0.5 ? 1 - 2 * w : 0, b = w <= 0.5 ? 2 * w : 2 - 2 * w, c = w > 0.5 ? 2 * w - 1 : 0;
        return video.Select((_, i) => (float)(a * video[i] + b * videoText[i] + c * words[i])).ToArray();
    }

    static float[] Scores(float[] query, float[][] music) => SegmentRanking.Standardise(music.Select(m => Dot(query, m)).ToArray());

    static float Dot(float[] a, float[] b) { float s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    static float[][] Batches(IReadOnlyList<string> texts, ITextEncoder encoder) =>
        texts.Chunk(64).SelectMany(c => encoder.Embed(c)).ToArray();

    static int RankOfStyle(WordSearch words, Dictionary<long, string> styleOf, float[] scores, string style)
    {
        var best = new Dictionary<long, float>();
        for (int i = 0; i < scores.Length; i++)
        {
            long t = words.TrackOf[i];
            best[t] = best.TryGetValue(t, out var b) ? MathF.Max(b, scores[i]) : scores[i];
        }
        var order = best.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key).ToList();
        return order.FindIndex(id => styleOf[id] == style) + 1;
    }

    /// <summary>Four new videos per look (seeds never used in training), each with a catalog piece as its sound track
    /// so that `features` takes it; only the video rows are used.</summary>
    static string QueryVideos(DemoPaths paths, double seconds)
    {
        string folder = Path.Combine(paths.Root, "query-videos");
        Directory.CreateDirectory(folder);
        string audio = Directory.EnumerateFiles(paths.MusicFolder).Order(StringComparer.Ordinal).First();
        var lines = new List<string>();
        foreach (var (look, li) in DemoVideo.Looks.Select((l, i) => (l, i)))
            for (int k = 0; k < 4; k++)
            {
                string video = Path.Combine(folder, $"{look}-q{k}.mp4");
                if (!File.Exists(video)) Renderer.RenderVideo(DemoVideo.Filter(look, 70_000 + 100 * li + k, seconds), video);
                lines.Add(JsonSerializer.Serialize(new { id = $"{look}-q{k}", video, audio }));
            }
        string manifest = Path.Combine(folder, "manifest.jsonl");
        AtomicFile.WriteAllText(manifest, string.Join("\n", lines) + "\n");
        return manifest;
    }

    static void Viml(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(ProjectPaths.Root, "src", "Viml.Cli", "bin", "Release", "net10.0", "Viml.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["COLUMNS"] = "160";
        Console.WriteLine("$ viml " + string.Join(' ', args));
        var clock = new StepClock();
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new VimlException($"viml {args[0]} exited {p.ExitCode}");
        Console.WriteLine($"  took {clock}");
    }

    static void Row(string name, Metrics m) => Console.WriteLine($"| {name} | {100 * m.R1:0.0} | {100 * m.R5:0.0} | {100 * m.R10:0.0} | {m.Mrr:0.000} |");

    sealed record Metrics(double R1, double R5, double R10, double Mrr)
    {
        public Metrics(IReadOnlyList<int> ranks) : this(ranks.Average(r => r <= 1 ? 1.0 : 0), ranks.Average(r => r <= 5 ? 1.0 : 0),
            ranks.Average(r => r <= 10 ? 1.0 : 0), ranks.Average(r => 1.0 / r)) { }
        public static implicit operator Metrics((double R1, double R5, double R10, double Mrr) m) => new(m.R1, m.R5, m.R10, m.Mrr);
    }

    static string Opt(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
