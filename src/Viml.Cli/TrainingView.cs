using Spectre.Console;
using Viml.Encoders;
using Viml.Evaluation;
using Viml.Training;

namespace Viml.Cli;

/// <summary>Renders training progress as a Spectre progress bar plus one line per finished epoch.</summary>
static class TrainingView
{
    public static T Run<T>(string title, Func<IProgress<TrainProgress>, T> body)
    {
        return ProgressBar.Run(ctx =>
            {
                ProgressTask? task = null;
                string current = title;
                double start = 0, total = 0;   // a resumed run's bar covers the steps left, so its rate and time left are this run's
                var epochClock = System.Diagnostics.Stopwatch.StartNew();
                var runClock = System.Diagnostics.Stopwatch.StartNew();
                var progress = new SyncProgress<TrainProgress>(p =>
                {
                    double done = (double)(p.Epoch - 1) * p.Steps + p.Step;
                    if (task is null || total != (double)p.Epochs * p.Steps)
                    {
                        task?.StopTask();
                        total = (double)p.Epochs * p.Steps;
                        start = done - 1;
                        runClock.Restart();
                        task = ctx.AddTask(Markup.Escape(current), maxValue: Math.Max(1, total - start));
                    }
                    task.Value = done - start;
                    task.Description = Markup.Escape($"{current} epoch {p.Epoch}/{p.Epochs} loss {p.Loss:0.000}"
                        + TimeLeft(done - start, total - start, runClock.Elapsed));
                    if (p.Step == 1 && p.Finished is null) epochClock.Restart();
                    if (p.Finished is { } e)
                        AnsiConsole.MarkupLine(Markup.Escape($"  {current} epoch {e.Epoch}: loss {e.Loss:0.0000}, val R@10 {e.ValidationR10:0.00}%" +
                            (e.ValidationR10VideoOnly is double v ? $" (video only {v:0.00}%)" : "") + $", lr {e.LearningRate:0.####e+0}" +
                            $", {epochClock.Elapsed.TotalSeconds:0} s ({p.Steps * p.BatchSize / epochClock.Elapsed.TotalSeconds:0} items/s with validation)"));
                });
                return body(new SwitchingProgress(progress, name => { current = name; task?.StopTask(); task = null; }));
            }, more: [new ElapsedTimeColumn(), new RemainingTimeColumn()]);
    }

    /// <summary>", 1:02:03 left" from this run's rate so far (also in logs, where the bar's own columns are not drawn).</summary>
    static string TimeLeft(double done, double total, TimeSpan elapsed)
    {
        if (done < 2 || elapsed.TotalSeconds < 1) return "";
        var left = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (total - done));
        return $", {(int)left.TotalHours}:{left:mm\\:ss} left";
    }

    /// <summary>Lets a multi-run caller name the run being trained.</summary>
    internal sealed class SwitchingProgress(IProgress<TrainProgress> inner, Action<string> rename) : IProgress<TrainProgress>
    {
        public void Rename(string name) => rename(name);
        public void Report(TrainProgress value) => inner.Report(value);
    }
}
