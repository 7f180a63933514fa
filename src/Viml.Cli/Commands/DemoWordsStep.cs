using Spectre.Console;
using Viml.Catalog;
using Viml.Demo;

namespace Viml.Cli.Commands;

/// <summary>
/// The demo's words: the catalog searched by a sentence with no model at all, "more like this" from one of its
/// jazz pieces, and the text knob turned to the words on the query video. Each is a verb a user can type.
/// </summary>
static class DemoWordsStep
{
    public static void Run(DemoPaths paths, string checkpoint, double fps, string sentence, Func<string[], int> runSelf)
    {
        var catalog = MusicCatalog.Open(paths.Catalog);
        var jazz = catalog.Tracks().FirstOrDefault(t => t.Metadata.Title.StartsWith("jazz", StringComparison.OrdinalIgnoreCase))
            ?? catalog.Tracks()[0];
        string f = fps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var steps = new (string Title, string[] Args)[]
        {
            ($"9. words alone, no model: \"{sentence}\"", ["recommend", "--catalog", paths.Catalog, "--text", sentence, "--top", "5"]),
            ("10. words alone, no model: \"calm strings without drums\"", ["recommend", "--catalog", paths.Catalog, "--text", "calm strings without drums", "--top", "5"]),
            ($"11. more like this: like \"{jazz.Metadata.Title}\" (track {jazz.Id})", ["recommend", "--catalog", paths.Catalog, "--like", jazz.Id.ToString(), "--top", "5"]),
            ("12. the text knob turned to the words (--text-weight 1) for the query video + \"country music with guitar\"",
                ["recommend", paths.QueryVideo, "--catalog", paths.Catalog, "--model", checkpoint, "--fps", f, "--top", "5",
                 "--text", "country music with guitar", "--text-weight", "1"]),
        };
        foreach (var (title, args) in steps)
        {
            AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
            AnsiConsole.MarkupLine($"[grey]$ viml {Markup.Escape(string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)))}[/]");
            int exit = runSelf(args);
            if (exit != 0) throw new VimlException($"demo step failed (exit {exit}): viml {string.Join(' ', args)}");
        }
    }
}
