using Spectre.Console;
using Viml.Catalog;

namespace Viml.Cli.Commands;

/// <summary>Progress bars and summaries shared by the catalog verbs.</summary>
static class CatalogView
{
    /// <summary>Runs a catalog operation under a progress bar (files done, rate, time left); Ctrl+C stops after the current file.</summary>
    public static IngestReport Run(string title, Func<IProgress<IngestProgress>, CancellationToken, IngestReport> body, CancellationToken cancellation)
    {
        using var ctrlC = new CtrlC(cancellation);
        return ProgressBar.Run(title, 100, task =>
        {
            int added = 0, replaced = 0, same = 0, failed = 0;
            var progress = new SyncProgress<IngestProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = p.Done;
                switch (p.Last?.Outcome)
                {
                    case IngestOutcome.Added: added++; break;
                    case IngestOutcome.Replaced: replaced++; break;
                    case IngestOutcome.Unchanged: same++; break;
                    case IngestOutcome.Failed: failed++; break;
                }
                string last = p.Last is null ? "" : $" [grey]{TerminalText.Markup(Short(Path.GetFileName(p.Last.Path)))}[/]";
                task.Description = $"{title}: {added} added, {replaced} replaced, {same} unchanged, {failed} failed{last}";
            });
            var report = body(progress, ctrlC.Token);
            task.Value = task.MaxValue;
            return report;
        }, more: [new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn()]);
    }

    public static int Summarise(IngestReport r, MusicCatalog catalog)
    {
        AnsiConsole.MarkupLine($"added [green]{r.Count(IngestOutcome.Added)}[/], replaced {r.Count(IngestOutcome.Replaced)}, unchanged {r.Count(IngestOutcome.Unchanged)}, " +
            $"removed {r.Count(IngestOutcome.Removed)}, failed [{(r.Count(IngestOutcome.Failed) > 0 ? "red" : "green")}]{r.Count(IngestOutcome.Failed)}[/] in {r.Elapsed:hh\\:mm\\:ss}" +
            (r.AudioSeconds > 0 ? $"; {r.AudioSeconds:0} s of audio at {r.RealTimeFactor:0.0}x real time ({r.RealTimeFactor / Environment.ProcessorCount:0.0}x per core)" : ""));
        AnsiConsole.MarkupLine($"[grey]{TerminalText.Markup(catalog.Root)}: {catalog.CountTracks()} tracks, {catalog.CountSegments()} segments[/]");
        var failures = r.Events.Where(e => e.Outcome == IngestOutcome.Failed).ToList();
        if (failures.Count == 0) return 0;
        var table = new Table().AddColumns("file", "problem").Border(TableBorder.Simple);
        foreach (var f in failures) table.AddRow(TerminalText.Markup(f.Path), TerminalText.Markup(f.Problem));
        AnsiConsole.Write(table);
        return 1;
    }

    static string Short(string s) => s.Length <= 40 ? s : s[..37] + "...";}
