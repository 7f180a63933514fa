using Spectre.Console;

namespace Viml.Cli;

/// <summary>
/// A progress display around a piece of work. Its columns are a task's description, bar and percentage
/// followed by <c>more</c>; with no <c>more</c>, Spectre's own set. A transient display is cleared when
/// the work is done; otherwise its last state stays on screen above the summary.
/// </summary>
static class ProgressBar
{
    public static T Run<T>(Func<ProgressContext, T> body, bool transient = false, params ProgressColumn[] more)
    {
        var progress = AnsiConsole.Progress().AutoClear(transient);
        if (more.Length > 0)
        {
            progress = progress.Columns(
                [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), .. more]);
        }
        return progress.Start(body);
    }

    /// <summary>The same with one task, titled <paramref name="title"/>, counting to <paramref name="maxValue"/>.</summary>
    public static T Run<T>(string title, double maxValue, Func<ProgressTask, T> body, bool transient = false,
        params ProgressColumn[] more) =>
        Run(context => body(context.AddTask(title, maxValue: maxValue)), transient, more);
}
