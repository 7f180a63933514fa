using System.Diagnostics;
using Spectre.Console;

namespace Viml.Cli.Commands;

/// <summary>
/// The stages of <c>viml train-from</c> as they run: a heading with the stage's number and the time so far, the
/// stage's own progress bar under it (features, training and catalog show their time left), the time it took
/// when it ends, and at the end a table of every stage's time per hour of the folder's video.
/// </summary>
sealed class TrainFromStages(int count)
{
    readonly Stopwatch _total = Stopwatch.StartNew();
    readonly List<(string Name, TimeSpan Took, bool Skipped)> _done = [];

    public TimeSpan Elapsed => _total.Elapsed;

    /// <summary>Runs one stage under its heading and prints how long it took.</summary>
    public void Run(string name, string title, Action stage)
    {
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(title)}[/] [grey](stage {_done.Count + 1} of {count}, "
            + $"{Clock(_total.Elapsed)} so far)[/]").LeftJustified());
        var clock = Stopwatch.StartNew();
        stage();
        _done.Add((name, clock.Elapsed, false));
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(name)} took {Clock(clock.Elapsed)}[/]");
    }

    public void Skip(string name, string title, string why)
    {
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(title)}[/]: skipped").LeftJustified());
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(why)}[/]");
        _done.Add((name, TimeSpan.Zero, true));
    }

    /// <summary>Each stage's time in this run and per hour of video (<paramref name="videoSeconds"/> in the store).</summary>
    public void Summarise(double videoSeconds)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("stage", "this run", "per hour of video");
        foreach (var (name, took, skipped) in _done)
            table.AddRow(Markup.Escape(name), skipped ? "skipped" : Clock(took),
                skipped || videoSeconds <= 0 ? "" : Clock(took * (3600 / videoSeconds)));
        table.AddRow("all", Clock(_total.Elapsed), videoSeconds <= 0 ? "" : Clock(_total.Elapsed * (3600 / videoSeconds)));
        table.Caption($"[grey]{videoSeconds / 60:0.#} min of video; stages skipped or resumed took less than a full run[/]");
        AnsiConsole.Write(table);
    }

    static string Clock(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}" : $"{t:mm\\:ss}";
}
