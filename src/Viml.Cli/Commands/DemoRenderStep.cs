using Spectre.Console;
using Viml.Demo;

namespace Viml.Cli.Commands;

/// <summary>The demo's last step: the query video with the top track under it, from its suggested start.</summary>
static class DemoRenderStep
{
    public static void Run(DemoPaths paths, string checkpoint, double fps, string text, CancellationToken ct)
    {
        string output = Path.Combine(paths.Root, "query", "sunny-look-with-music.mp4");
        string[] args = ["recommend", paths.QueryVideo, "--catalog", paths.Catalog, "--model", checkpoint,
            "--fps", fps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--top", "1", "--text", text, "--render", "1", "--out", output];
        AnsiConsole.Write(new Rule("[bold]13. render: the query video with the top track under it[/]").LeftJustified());
        AnsiConsole.MarkupLine($"[grey]$ viml {Markup.Escape(string.Join(' ', args.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)))}[/]");
        int exit = DemoCommand.RunSelf(args, ct);
        if (exit != 0) throw new VimlException($"demo step failed (exit {exit}): viml {string.Join(' ', args)}");
        AnsiConsole.MarkupLine($"[green]the query video with its music: {Markup.Escape(output)}[/]");
    }
}
