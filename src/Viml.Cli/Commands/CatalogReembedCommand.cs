using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Catalog;

namespace Viml.Cli.Commands;

/// <summary><c>viml catalog reembed --catalog DIR --model CKPT</c>: point the catalog at a new model and re-embed its tracks from the stored base features (no decoding); resumable.</summary>
sealed class CatalogReembedCommand : Command<CatalogReembedCommand.Settings>
{
    /// <summary>Without --model only the words' descriptions and the sound kinds are brought up to date.</summary>
    public sealed class Settings : ModelCatalogSettings
    {
        protected override bool ModelRequired => false;
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var catalog = MusicCatalog.Open(s.Catalog);
        using var writer = CatalogLock.Acquire(catalog.Root);
        CatalogWordsView.Describe(catalog, cancellation);
        CatalogKindsView.Judge(catalog, cancellation);
        if (string.IsNullOrWhiteSpace(s.Model)) return 0;
        using var model = new TrainedCatalogModel(s.Model);
        if (model.MusicDimension != catalog.Info.MusicDimension)
            throw new InvalidInputException($"{s.Model}: expects {model.MusicDimension}-d music features, the catalog holds {catalog.Info.MusicDimension}-d ({catalog.Info.MusicEncoder})");
        var parts = new IngestParts(new NoAudio(), new StoredFeatures(catalog.Info), model);
        var ingest = new CatalogIngest(catalog, parts, adoptModel: true);
        AnsiConsole.MarkupLine($"[grey]{catalog.CountStaleTracks()} of {catalog.CountTracks()} tracks to re-embed with model {model.Id}[/]");
        var report = CatalogView.Run("re-embedding", (p, ct) => ingest.Reembed(p, ct), cancellation);
        int exit = CatalogView.Summarise(report, catalog);
        using (var index = CatalogIndex.Open(catalog)) AnsiConsole.MarkupLine($"[grey]index: {index.Kind.ToString().ToLowerInvariant()}, {index.Count} segment vectors[/]");
        return exit;
    }

    /// <summary>Re-embedding reads stored features, never audio.</summary>
    sealed class NoAudio : IAudioSource
    {
        public float[] DecodeMono(string path, int sampleRate, CancellationToken ct) =>
            throw new InvalidOperationException("re-embedding never decodes");
    }

    /// <summary>Describes the catalog's stored features (re-embedding reads them from the database, never from audio).</summary>
    sealed class StoredFeatures(CatalogInfo info) : Viml.Encoders.IMusicEncoder
    {
        public string Name => info.MusicEncoder;
        public int Dimension => info.MusicDimension;
        public int SampleRate => info.Spec.SampleRate;
        public IReadOnlyList<Viml.Encoders.TagInfo> Tags => info.TagNames.Select(Viml.Encoders.TagInfo.Parse).ToList();
        public Viml.Encoders.MusicSegmentFeatures[] Embed(IReadOnlyList<float[]> segments) => throw new InvalidOperationException("re-embedding never decodes");
        public void Dispose() { }
    }
}
