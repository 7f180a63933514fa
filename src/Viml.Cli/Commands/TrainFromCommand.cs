using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Features;
using Viml.IO;
using Viml.Training;

namespace Viml.Cli.Commands;

/// <summary>
/// <c>viml train-from &lt;folder&gt; --out DIR</c>: a folder of videos with music to a served model, running the same
/// verbs a user would (each printed before it runs): features, texts (data2text), training with the paper's
/// defaults, an evaluation report on the validation items, a catalog of the videos' own audio, and the `serve`
/// command that uses them. Every stage resumes or skips: extracted items, finished epochs and catalog tracks are
/// kept, texts and the report are rewritten only when what they come from has changed.
/// </summary>
sealed class TrainFromCommand : Command<TrainFromCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<folder>"), Description("Folder of videos with music (mp4, mkv, webm, mov, ...; searched recursively)")]
        public string Folder { get; init; } = "";

        [CommandOption("-o|--out <DIR>"), Description("Working folder: manifest, features, run, eval report, catalog")]
        public string Out { get; init; } = "";

        [CommandOption("--epochs <N>"), Description("Training epochs (default 50, the paper's)")]
        public int Epochs { get; init; } = 50;

        [CommandOption("--fps <FPS>"), Description("Frames per second embedded (default 6, the paper's)")]
        public double Fps { get; init; } = Viml.Features.FeatureSpec.PaperFps;

        [CommandOption("--validation-fraction <F>"), Description("Share of the videos held out for validation (default 0.1)")]
        public double ValidationFraction { get; init; } = 0.1;

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out <DIR> is required")
            : Epochs < 1 ? ValidationResult.Error("--epochs must be at least 1")
            : Viml.Features.FeatureSpec.FpsProblem(Fps) is { } fps ? ValidationResult.Error($"--fps {fps}")
            : !(ValidationFraction > 0 && ValidationFraction < 1) ? ValidationResult.Error("--validation-fraction must be between 0 and 1")
            : ValidationResult.Success();
    }

    const string Texts = "data2text";

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var stages = new TrainFromStages(5);
        string root = Path.GetFullPath(s.Out);
        Directory.CreateDirectory(root);
        string manifest = Path.Combine(root, "manifest.jsonl"), store = Path.Combine(root, "features");
        string config = Path.Combine(root, "train.json"), run = Path.Combine(root, "run"), best = Path.Combine(run, "best");
        string report = Path.Combine(root, "eval"), catalog = Path.Combine(root, "catalog");
        string textsFile = Path.Combine(store, "texts", Texts + ".jsonl");

        var items = VideoFolder.WriteManifest(s.Folder, manifest);
        AnsiConsole.MarkupLine(Markup.Escape($"{items.Count} videos under {s.Folder}; working folder {root}"));
        AtomicFile.WriteAllText(config, $$"""
            {
              "store": "features",
              "texts": "{{Texts}}",
              "output": "run",
              "epochs": {{s.Epochs}},
              "validation_fraction": {{Inv(s.ValidationFraction)}},
              "test_fraction": 0.0
            }
            """);

        stages.Run("1. features", "1. features: ResNet18 frames, musicnn music, per 10-s segment (extracted videos are skipped)",
            () => Step(["features", manifest, "--out", store, "--fps", Inv(s.Fps)], cancellation));
        var extracted = FeatureStore.Open(store).ReadAll().ToList();
        double videoSeconds = extracted.Where(i => i.HasVideo).Sum(Seconds);
        if (NewerThan(textsFile, Path.Combine(store, "items")))
            stages.Skip("2. texts", "2. texts", $"{textsFile} is newer than every extracted item");
        else
            stages.Run("2. texts", "2. texts: descriptions of each video's music from its tags (data2text)",
                () => Step(["synth-text", "--store", store, "--approach", Texts, "--per-item", "3"], cancellation));
        stages.Run("3. training", "3. training: ViML with the paper's defaults (finished epochs are kept)",
            () => Step(["train", "--config", config], cancellation));
        if (NewerThan(report + ".md", best))
            stages.Skip("4. evaluation", "4. evaluation", $"{report}.md is newer than the model");
        else
        {
            int validation = extracted
                .Count(i => i.HasVideo && TrainingData.SplitOf(i.Id, i.Source, s.ValidationFraction, 0) == "val");
            stages.Run("4. evaluation", "4. evaluation: music retrieval on the validation videos", () => Step(
                ["eval", "--store", store, "--texts", Texts, "--viml", best, "--split", "val",
                 "--pool", Math.Min(2000, validation).ToString(CultureInfo.InvariantCulture),
                 "--validation-fraction", Inv(s.ValidationFraction), "--test-fraction", "0", "--out", report], cancellation));
        }
        stages.Run("5. catalog", "5. catalog: the videos' own music, embedded with the trained model (unchanged files are skipped)",
            () => Step(["catalog", "add", .. items.Select(i => i.Video), "--catalog", catalog, "--model", best], cancellation));

        stages.Summarise(videoSeconds);
        AnsiConsole.MarkupLine($"[green]done in {stages.Elapsed:hh\\:mm\\:ss}[/]. Evaluation: {Markup.Escape(report)}.md; "
            + $"training plot: {Markup.Escape(Path.Combine(run, "training.png"))}");
        AnsiConsole.MarkupLine("Serve it:");
        Console.WriteLine($"viml serve --catalog {Quote(catalog)} --model {Quote(best)}");
        return 0;
    }

    /// <summary>
    /// True when <paramref name="file"/> exists and is newer than everything under <paramref name="what"/> (a file or folder).
    /// </summary>
    static bool NewerThan(string file, string what)
    {
        if (!File.Exists(file)) return false;
        var stamps = Directory.Exists(what)
            ? Directory.EnumerateFiles(what, "*", SearchOption.AllDirectories).Select(File.GetLastWriteTimeUtc).ToList()
            : File.Exists(what) ? [File.GetLastWriteTimeUtc(what)] : [];
        return stamps.Count > 0 && File.GetLastWriteTimeUtc(file) > stamps.Max();
    }

    /// <summary>The seconds of media an extracted item covers (its segments' span where the store does not say).</summary>
    static double Seconds(FeatureItem i) =>
        i.Source.TryGetValue("start", out var a) && i.Source.TryGetValue("end", out var b)
            ? double.Parse(b, CultureInfo.InvariantCulture) - double.Parse(a, CultureInfo.InvariantCulture)
            : i.Segments * 10.0;

    static void Step(string[] args, CancellationToken ct)
    {
        AnsiConsole.MarkupLine($"[grey]$ viml {Markup.Escape(string.Join(' ', args.Select(Quote)))}[/]");
        int exit = DemoCommand.RunSelf(args, ct);
        if (exit != 0) throw new VimlException($"train-from stage failed (exit {exit}): viml {string.Join(' ', args.Select(Quote))}");
    }

    static string Inv(double x) => x.ToString(CultureInfo.InvariantCulture);
    static string Quote(string a) => a.Contains(' ') ? $"\"{a}\"" : a;
}
