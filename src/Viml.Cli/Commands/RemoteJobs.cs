using Spectre.Console;
using Viml.Jobs;

namespace Viml.Cli.Commands;

/// <summary>Enqueue-and-wait for verbs that accept <c>--redis</c>: jobs go to the workers, a progress bar follows their results.</summary>
static class RemoteJobs
{
    /// <summary>Enqueues <paramref name="jobs"/>, waits for all, prints dead-lettered ones; exit code 0 when all are done, 1 otherwise.</summary>
    public static int EnqueueAndWait(string redis, JobOptions options, IEnumerable<Job> jobs, string what, CancellationToken ct) =>
        EnqueueAndWait(redis, options, jobs, what, ct, out _);

    public static int EnqueueAndWait(string redis, JobOptions options, IEnumerable<Job> jobs, string what, CancellationToken ct, out JobBatchResult result)
    {
        using var ctrlC = new CtrlC(ct);
        return EnqueueAndWaitCore(redis, options, jobs, what, ctrlC.Token, out result);
    }

    static int EnqueueAndWaitCore(string redis, JobOptions options, IEnumerable<Job> jobs, string what, CancellationToken ct, out JobBatchResult result)
    {
        using var queue = JobQueue.Connect(redis, options);
        queue.Notice += m => Console.Error.WriteLine($"viml: {m}");
        var batch = queue.Enqueue(jobs);
        result = new JobBatchResult([], new Dictionary<string, string>());
        if (batch.Count == 0) { AnsiConsole.MarkupLine($"nothing to {Markup.Escape(what)}"); return 0; }
        result = ProgressBar.Run($"{what}: 0/{batch.Count}", batch.Count, task =>
            queue.WaitAll(batch, new SyncProgress<JobProgress>(p =>
            {
                task.Value = p.Done;
                task.Description = $"{what}: {p.Done}/{p.Total}{(p.Dead > 0 ? $", {p.Dead} failed" : "")}";
            }), ct), more: [new ElapsedTimeColumn(), new RemainingTimeColumn()]);
        foreach (var (key, error) in result.Dead.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Console.Error.WriteLine($"viml: failed: {key}: {error}");
        string failed = result.Dead.Count > 0
            ? $", {result.Dead.Count} failed (dead-letter stream {Markup.Escape(options.Prefix)}:dead)"
            : "";
        AnsiConsole.MarkupLine($"{result.Done.Count} of {batch.Count} done by the workers{failed}");
        return result.Dead.Count == 0 ? 0 : 1;
    }
}
