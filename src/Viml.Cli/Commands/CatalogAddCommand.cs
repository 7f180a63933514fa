using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Cli.Commands;

/// <summary><c>viml catalog add &lt;folder or files&gt;... --catalog DIR --model CKPT</c>.</summary>
sealed class CatalogAddCommand : Command<CatalogAddCommand.Settings>
{
    public sealed class Settings : ModelCatalogSettings
    {
        [CommandArgument(0, "<paths>")]
        [Description("Audio files and/or folders (searched recursively for mp3, flac, wav, ogg, opus, m4a/aac, ...)")]
        public string[] Paths { get; init; } = [];

        protected override bool ModelRequired => false;

        [CommandOption("--redis <URL>")]
        [Description("Analyse the files on `viml worker`s through this Redis server (e.g. redis://host:6379); this command stays the catalog's only writer. Paths must be the same on every worker (docs/scale.md)")]
        public string? Redis { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        // Inputs first, models after: a wrong path is reported before seconds of model loading.
        if (s.Redis is not null && string.IsNullOrWhiteSpace(s.Model)) throw new InvalidInputException("--redis needs --model: workers embed with a checkpoint");
        var files = CatalogAddInputs.Check(s.Paths, s.Catalog);
        if (string.IsNullOrWhiteSpace(s.Model)) RefuseTrainedCatalog(s.Catalog);
        using var trained = string.IsNullOrWhiteSpace(s.Model) ? null : new TrainedCatalogModel(s.Model);
        using var music = new MusicnnEncoder();
        ICatalogModel model = trained is null ? new BaseMusicModel(music.Name, music.Dimension) : trained;
        var parts = CatalogParts.Ingest(model, music);
        using var writer = CatalogLock.Acquire(s.Catalog);
        var catalog = MusicCatalog.OpenOrCreate(s.Catalog, CatalogIngest.InfoFor(parts));
        var ingest = new CatalogIngest(catalog, parts);
        foreach (var p in s.Paths.Where(Directory.Exists)) catalog.AddRoot(Path.GetFullPath(p));
        AnsiConsole.MarkupLine($"[grey]{files.Count} audio files -> {Markup.Escape(catalog.Root)} (model {(trained is null ? "none: words and --like only" : model.Id)})[/]");
        int exit;
        if (s.Redis is not null)
        {
            var todo = files.Where(f => catalog.Lookup(f) is not { } k || k.ModelId != model.Id || k.Size != new FileInfo(f).Length || k.ModifiedTicks != new FileInfo(f).LastWriteTimeUtc.Ticks).ToList();
            exit = RemoteJobs.EnqueueAndWait(s.Redis, new Viml.Jobs.JobOptions(), todo.Select(f => Viml.Jobs.CatalogJob.Create(f, catalog.Root, s.Model)), "analysing", cancellation, out var result);
            int put = Viml.Jobs.CatalogJob.Collect(catalog, result.Done);
            AnsiConsole.MarkupLine($"{put} track(s) added or refreshed, {files.Count - todo.Count} unchanged, {result.Dead.Count} failed; catalog: {catalog.CountTracks()} tracks");
        }
        else
        {
            var report = CatalogView.Run("adding", (p, ct) => ingest.Add(files, p, ct), cancellation);
            exit = CatalogView.Summarise(report, catalog);
        }
        using (var index = CatalogIndex.Open(catalog))
            AnsiConsole.MarkupLine($"[grey]index: {index.Kind.ToString().ToLowerInvariant()}, {index.Count} segment vectors[/]");
        CatalogWordsView.Describe(catalog, cancellation);
        CatalogKindsView.Judge(catalog, cancellation);
        return exit;
    }

    /// <summary>Without --model the base music features are stored, which a catalog holding a trained model's vectors refuses.</summary>
    static void RefuseTrainedCatalog(string root)
    {
        if (MusicCatalog.Exists(root) && MusicCatalog.Open(root) is { } c && c.CountTracks() > 0 && !BaseMusicModel.IsBase(c.Info.ModelId))
            throw new InvalidInputException($"{c.Root}: this catalog is embedded with model {c.Info.ModelId}; pass --model <checkpoint> to add to it");
    }
}
