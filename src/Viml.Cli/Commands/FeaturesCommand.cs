using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;
using Viml.Encoders;
using Viml.Features;

namespace Viml.Cli.Commands;

/// <summary><c>viml features &lt;manifest&gt; --out &lt;store&gt; [--fps 6]</c>: per-segment video and music features of every manifest item.</summary>
sealed class FeaturesCommand : Command<FeaturesCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<manifest>")]
        [Description("JSON Lines manifest, one item per line: {\"id\", \"video\", \"audio\"?, \"start\"?, \"end\"?} (docs/features.md)")]
        public string Manifest { get; init; } = "";

        [CommandOption("-o|--out <STORE>")]
        [Description("Feature store folder; created if absent, items already in it are skipped")]
        public string Out { get; init; } = "";

        [CommandOption("--fps <FPS>")]
        [Description("Frames per second embedded and averaged per 10-s segment (the paper: 6)")]
        [DefaultValue(FeatureSpec.PaperFps)]
        public double Fps { get; init; } = FeatureSpec.PaperFps;

        [CommandOption("--frame-encoder <ENCODER>")]
        [Description("resnet18 (the paper's), or the path of an ONNX encoder config .json (docs/encoders.md)")]
        [DefaultValue("resnet18")]
        public string FrameEncoder { get; init; } = "resnet18";

        [CommandOption("--redis <URL>")]
        [Description("Send the items to `viml worker`s through this Redis server (e.g. redis://host:6379) and wait for them; paths must be the same on every worker (docs/scale.md)")]
        public string? Redis { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out <STORE> is required")
            : FeatureSpec.FpsProblem(Fps) is { } fps ? ValidationResult.Error($"--fps {fps}")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var items = Manifest.Read(settings.Manifest);
        if (settings.Redis is null) ExtractionInputs.Check(settings.Manifest, items, settings.Out, settings.Fps);   // before the encoders load
        if (settings.Redis is not null)
        {
            var existing = Directory.Exists(settings.Out) && File.Exists(Path.Combine(settings.Out, "store.json")) ? FeatureStore.Open(settings.Out) : null;
            return RemoteJobs.EnqueueAndWait(settings.Redis, new Viml.Jobs.JobOptions(),
                items.Where(i => existing?.Contains(i.Id) != true).Select(i => Viml.Jobs.FeaturesJob.Create(i, settings.Out, Spec(settings))), "features", cancellation);
        }
        using var ctrlC = new CtrlC(cancellation);
        var (frames, music) = Encoders(settings.FrameEncoder);
        using (frames)
        using (music)
        {
            var extractor = new Extractor(frames, music, new ExtractorOptions(Fps: settings.Fps));
            var store = FeatureStore.OpenOrCreate(settings.Out, extractor.StoreInfo);
            var rate = new WorkRate();
            AnsiConsole.MarkupLine($"[grey]{items.Count} items, {Markup.Escape(frames.Name)} frames at {settings.Fps:0.##} fps, {Markup.Escape(music.Name)} music -> {Markup.Escape(store.Root)}[/]");
            var report = ProgressBar.Run("features", items.Count, task =>
            {
                var progress = new SyncProgress<ExtractionProgress>(p =>
                {
                    rate.Update(p.Extracted + p.Failed);
                    task.Value = p.Value;
                    task.Description = $"{p.Extracted} extracted, {p.Skipped} skipped, {p.Failed} failed" + (p.Current is null ? "" : $" [grey]{TerminalText.Markup(Short(p.Current))}[/]");
                });
                return extractor.Run(items, store, progress, ctrlC.Token);
            }, more: [new RateColumn(rate), new SpinnerColumn()]);
            return Summarise(report, store);
        }
    }

    /// <summary>The features the workers must make: the paper's, at the chosen fps and frame encoder.</summary>
    static FeatureSpec Spec(Settings s) => FeatureSpec.Paper with { Fps = s.Fps, FrameEncoder = s.FrameEncoder, TextEncoder = null };

    /// <summary>The paper's frozen encoders: ResNet18 (ImageNet, or the chosen frame encoder) on frames, musicnn (MSD, MTT, MTG-Jamendo) on audio.</summary>
    static (IFrameEncoder, IMusicEncoder) Encoders(string frameEncoder)
    {
        var frames = EncoderRegistry.CreateFrameEncoder(frameEncoder);
        try { return (frames, new MusicnnEncoder()); }
        catch { frames.Dispose(); throw; }
    }

    /// <summary>Plain lines (no markup wrapping), so that paths stay whole when the output goes to a file or a pipe.</summary>
    static int Summarise(ExtractionReport r, FeatureStore store)
    {
        // Rates cover the work done in this run only: items skipped as already in the store are not media decoded.
        string speed = r.MediaSeconds > 0 ? $"{r.MediaSeconds:0} s of media at {r.RealTimeFactor:0.00}x real time" : "nothing new to extract";
        Console.WriteLine($"extracted {r.Extracted}, skipped {r.Skipped} (already in the store), failed {r.Failures.Count} of {r.Total} in {r.Wall:hh\\:mm\\:ss}; " +
                          $"{speed}; store: {store.Root} ({store.Count} items)");
        if (r.Failures.Count == 0) return 0;
        Console.WriteLine($"{r.Failures.Count} item(s) failed:");
        foreach (var f in r.Failures) Console.WriteLine(TerminalText.Safe($"  {f.Id}: {f.File}: {f.Problem}"));
        return 1;
    }

    static string Short(string s) => s.Length <= 40 ? s : s[..37] + "...";

    /// <summary>Items per minute and time left, over the items this run worked on (skipped ones do not count:
    /// a resumed run skips hundreds in a second, which would claim thousands of items per minute).</summary>
    sealed class RateColumn(WorkRate rate) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            if (rate.PerMinute is not double perMinute) return new Markup("[grey]-- items/min[/]");
            double left = (task.MaxValue - task.Value) / perMinute;
            return new Markup($"[grey]{perMinute:0.0} items/min, {TimeSpan.FromMinutes(left):hh\\:mm\\:ss} left[/]");
        }
    }

    /// <summary>Items worked on (extracted or failed) since the first one started in this process.</summary>
    sealed class WorkRate
    {
        readonly System.Diagnostics.Stopwatch _clock = new();
        volatile int _done;

        public void Update(int worked)
        {
            if (!_clock.IsRunning) _clock.Start();
            _done = worked;
        }

        public double? PerMinute => _done > 0 && _clock.Elapsed.TotalSeconds >= 1 ? _done / _clock.Elapsed.TotalMinutes : null;
    }
}
