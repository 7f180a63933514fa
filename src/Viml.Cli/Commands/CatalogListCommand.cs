using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Cli.Commands;

/// <summary><c>viml catalog list --catalog DIR [--json]</c>: the tracks, and whether the catalog is current.</summary>
sealed class CatalogListCommand : Command<CatalogListCommand.Settings>
{
    public sealed class Settings : CatalogSettings
    {
        [CommandOption("--json")]
        [Description("Print JSON instead of a table")]
        public bool Json { get; init; }

        [CommandOption("--kind <KIND>")]
        [Description("Only tracks judged music, speech or other (silence, ambience, effects)")]
        public string? Kind { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var catalog = MusicCatalog.Open(s.Catalog);
        var kinds = SoundKinds.OfTracks(catalog);
        var tracks = catalog.Tracks();
        if (s.Kind is not null)
        {
            var want = SoundKinds.Parse(s.Kind);
            tracks = tracks.Where(t => kinds.TryGetValue(t.Id, out var k) && k == want).ToList();
        }
        string KindOf(long id) => kinds.TryGetValue(id, out var k) ? SoundKinds.Name(k) : "";
        int stale = catalog.CountStaleTracks();
        var rhythm = RhythmStore.Of(catalog, tracks.Select(t => t.Id));
        if (s.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                catalog = catalog.Root, model = catalog.Info.ModelId, music_encoder = catalog.Info.MusicEncoder, stale_tracks = stale,
                segments = catalog.CountSegments(),
                tracks = tracks.Select(t => new { t.Id, t.Path, t.Metadata.Title, t.Metadata.Artist, t.Metadata.Album, t.Metadata.Genre, t.Metadata.Duration, t.Segments, kind = KindOf(t.Id),
                    tags = catalog.TagsOf(t.Id).Take(5).Select(g => g.Name),
                    bpm = rhythm.TryGetValue(t.Id, out var r) ? Math.Round(r.Bpm, 1) : (double?)null }),
            }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
            return 0;
        }
        var table = new Table().Border(TableBorder.Simple).AddColumns("id", "title", "artist", "album", "genre", "length", "segments", "kind", "top tags");
        table.AddColumn("bpm");
        foreach (var t in tracks)
            table.AddRow(t.Id.ToString(), TerminalText.Markup(t.Metadata.Title), TerminalText.Markup(t.Metadata.Artist), TerminalText.Markup(t.Metadata.Album),
                TerminalText.Markup(t.Metadata.Genre), $"{TimeSpan.FromSeconds(t.Metadata.Duration):m\\:ss}", t.Segments.ToString(), KindOf(t.Id),
                TerminalText.Markup(string.Join(", ", catalog.TagsOf(t.Id).Take(4).Select(g => TagInfo.NameOf(g.Name)))),
                rhythm.TryGetValue(t.Id, out var r) ? $"{r.Bpm:0}" : "");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{tracks.Count} tracks, {catalog.CountSegments()} segments; model {catalog.Info.ModelId}; music features {TerminalText.Markup(catalog.Info.MusicEncoder)} ({catalog.Info.MusicDimension}-d)" +
            (stale > 0 ? $"; [yellow]{stale} stale track(s): run `viml catalog reembed`[/]" : ""));
        return 0;
    }
}
