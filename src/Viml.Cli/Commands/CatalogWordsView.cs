using Spectre.Console;
using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Cli.Commands;

/// <summary>Writes the catalog's missing descriptions (the words-alone search) with a progress bar.</summary>
static class CatalogWordsView
{
    public static void Describe(MusicCatalog catalog, CancellationToken ct)
    {
        using var text = EncoderRegistry.CreateTextEncoder("minilm");
        int n = ProgressBar.Run("describing", 100, task =>
            WordDescriptions.Ensure(catalog, text, new Progress<(int Done, int Total)>(p => { task.MaxValue = p.Total; task.Value = p.Done; }), ct),
            transient: true);
        if (n > 0) AnsiConsole.MarkupLine($"[grey]words: {n} segment and track descriptions embedded with {Markup.Escape(text.Name)}[/]");
    }
}
