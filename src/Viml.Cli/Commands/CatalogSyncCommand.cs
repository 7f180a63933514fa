using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Cli.Commands;

/// <summary><c>viml catalog sync --catalog DIR [--model CKPT]</c>: drop tracks whose file is gone; with a model, also add new and changed files under the folders added before.</summary>
sealed class CatalogSyncCommand : Command<CatalogSyncCommand.Settings>
{
    public sealed class Settings : CatalogSettings
    {
        [CommandOption("-m|--model <CHECKPOINT>")]
        [Description("With a checkpoint, also rescan the folders given to `catalog add` for new and changed files")]
        public string? Model { get; init; }

        [CommandOption("--forget-missing")]
        [Description("Also drop the tracks of a folder that is missing or holds none of its files " +
            "(kept by default: a moved or unmounted folder is not a deletion)")]
        public bool ForgetMissing { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var catalog = MusicCatalog.Open(s.Catalog);
        using var writer = CatalogLock.Acquire(catalog.Root);
        IngestReport report;
        if (string.IsNullOrWhiteSpace(s.Model))
            report = CatalogView.Run("syncing", (p, ct) => CatalogIngest.Prune(catalog, p, ct, s.ForgetMissing), cancellation);
        else
        {
            using var model = new TrainedCatalogModel(s.Model);
            using var music = new MusicnnEncoder();
            var ingest = new CatalogIngest(catalog, CatalogParts.Ingest(model, music));
            AnsiConsole.MarkupLine($"[grey]rescanning {string.Join(", ", catalog.ReadRoots().Select(Markup.Escape))}[/]");
            report = CatalogView.Run("syncing", (p, ct) => ingest.Sync(rescan: true, p, ct, s.ForgetMissing), cancellation);
        }
        // a folder whose tracks were kept although their files are gone: one warning line each, besides the table
        foreach (var kept in report.Events.Where(e => e.Outcome == IngestOutcome.Failed && !File.Exists(e.Path)))
            Console.Error.WriteLine($"viml: {TerminalText.Safe(kept.Path)}: {TerminalText.Safe(kept.Problem)}");
        int exit = CatalogView.Summarise(report, catalog);
        if (catalog.CountStaleTracks() == 0 && catalog.CountTracks() > 0)
            using (var index = CatalogIndex.Open(catalog)) AnsiConsole.MarkupLine($"[grey]index: {index.Kind.ToString().ToLowerInvariant()}, {index.Count} segment vectors[/]");
        return exit;
    }
}
