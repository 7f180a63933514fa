using Spectre.Console;
using Viml.Catalog;
using Viml.Media;

namespace Viml.Cli.Commands;

/// <summary>Judges music, speech or other sound for the tracks that lack a kind, with a progress bar.</summary>
static class CatalogKindsView
{
    public static void Judge(MusicCatalog catalog, CancellationToken ct)
    {
        int n = ProgressBar.Run("music or not", 100, task =>
            SoundKinds.Ensure(catalog, (p, sr, c) => AudioDecoder.DecodeMono(p, sr, ct: c),
                progress: new Progress<(int Done, int Total)>(p => { task.MaxValue = Math.Max(1, p.Total); task.Value = p.Done; }), ct: ct),
            transient: true);
        if (n == 0) return;
        var counts = SoundKinds.OfTracks(catalog).Values.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        AnsiConsole.MarkupLine($"[grey]sound: {n} track(s) judged; catalog: " +
            string.Join(", ", Enum.GetValues<Viml.Sound.SoundKind>().Select(k => $"{counts.GetValueOrDefault(k)} {SoundKinds.Name(k)}")) +
            " (non-music is left out of recommendations unless --all-kinds)[/]");
    }
}
