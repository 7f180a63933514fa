using Spectre.Console.Cli;
using Viml.Cli.Commands;

// The verbs, one statement each; each command is a class in Commands/.
var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("viml");
    config.SetApplicationVersion(Viml.VimlVersion.Text);
    config.PropagateExceptions();
    config.AddCommand<DoctorCommand>("doctor").WithDescription(
        "Check each part Viml runs on by using it: ffmpeg, ffprobe, TorchSharp, the ONNX encoders, the musicnn weights, " +
        "SQLite; and the optional fluidsynth, redis-server, chromium.");
    config.AddCommand<FeaturesCommand>("features").WithDescription(
        "Extract per-segment video and music features of a manifest's items into a feature store.");
    config.AddCommand<TagsCommand>("tags").WithDescription(
        "Show the music tags (three musicnn taggers) of an audio or video file, per model and optionally per 10-s segment.");
    config.AddCommand<SynthTextCommand>("synth-text").WithDescription(
        "Write text descriptions of a feature store's items from their music tags (tags, data2text, prompt2text, analogy), " +
        "or --report to compare the approaches.");
    config.AddBranch("yt8m", yt8m =>
    {
        yt8m.SetDescription("Use YouTube-8M's released frame-level features.");
        yt8m.AddCommand<Yt8mImportCommand>("import").WithDescription(
            "Import YouTube-8M frame-level TFRecord files into a feature store (video = rgb, music = audio).");
    });
    config.AddCommand<TrainCommand>("train").WithDescription(
        "Train ViML, MVPt+ or MT on a feature store and its texts (resumable).");
    config.AddCommand<EvalCommand>("eval").WithDescription(
        "Rank pools of N music items per query: R@1/5/10 and median rank for ViML, MVPt+, MT and their ensembles.");
    config.AddBranch("bench", bench =>
    {
        bench.SetDescription("Check the paper's claims on a synthetic benchmark where the truth is known.");
        bench.AddCommand<BenchReproduceCommand>("reproduce").WithDescription(
            "Train and evaluate everything on the synthetic benchmark; print the paper's claims beside ours.");
    });
    config.AddCommand<TrainFromCommand>("train-from").WithDescription(
        "A folder of videos with music to a model: features, texts, training, evaluation, a catalog of their music " +
        "and a ready `serve` command (resumable).");
    config.AddCommand<DemoCommand>("demo").WithDescription(
        "Generate music and videos, extract features, synthesise text, train, build a catalog and recommend: " +
        "the whole path, offline.");
    config.AddBranch("catalog", catalog =>
    {
        catalog.SetDescription("A music catalog: tracks, segment vectors, tags and metadata in one folder.");
        catalog.AddCommand<CatalogAddCommand>("add").WithDescription(
            "Add audio files or folders (incremental: unchanged files are skipped, changed ones replaced).");
        catalog.AddCommand<CatalogSyncCommand>("sync").WithDescription(
            "Drop tracks whose file is gone; with --model, also add new and changed files under the folders added before.");
        catalog.AddCommand<CatalogListCommand>("list").WithDescription(
            "List the tracks and whether the catalog matches its model.");
        catalog.AddCommand<CatalogReembedCommand>("reembed").WithDescription(
            "Re-embed every track with a new model from the stored features (no decoding; resumable).");
    });
    config.AddCommand<RecommendCommand>("recommend").WithDescription(
        "Rank the catalog's tracks for a video and/or a sentence, with the best segment of each.");
    config.AddCommand<ServeCommand>("serve").WithDescription(
        "Serve the web app and its JSON API on this machine (127.0.0.1).");
    config.AddCommand<WorkerCommand>("worker").WithDescription(
        "Run jobs from a Redis job queue (feature extraction, catalog ingest) until stopped.");
    config.AddCommand<TempoCommand>("tempo").WithDescription(
        "Show the tempo (BPM, confidence), beats, bar starts and energy of a music file.");
    config.AddCommand<RenderCommand>("render").WithDescription(
        "Put a track under a video: picture copied, music trimmed, faded and loudness-normalised, " +
        "original sound kept or dropped.");
    config.AddBranch("jobs", jobs =>
    {
        jobs.SetDescription("The Redis job queue of `viml worker`s.");
        jobs.AddCommand<JobsStatusCommand>("status").WithDescription(
            "Show the job queue: queued, running, dead-lettered.");
        jobs.AddCommand<JobsChecksumCommand>("checksum").WithDescription(
            "Checksum files on the workers (a cluster check).");
    });
});
// Spectre reads a terminal's width itself; a pipe or a log file is 80 columns wide unless COLUMNS says otherwise.
if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns is >= 40 and <= 1000)
    Spectre.Console.AnsiConsole.Profile.Width = columns;
return Viml.Cli.ErrorReporting.Run(() => app.Run(args));
