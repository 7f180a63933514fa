using System.ComponentModel;
using System.Runtime.InteropServices;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Catalog;
using Viml.Encoders;
using Viml.Features;
using Viml.Jobs;

namespace Viml.Cli.Commands;

/// <summary>Options every command that talks to the job queue shares.</summary>
class RedisSettings : CommandSettings
{
    [CommandOption("--redis <URL>"), Description("Redis server holding the job queue, e.g. redis://localhost:6379")]
    public string? Redis { get; init; }

    [CommandOption("--prefix <PREFIX>"), Description("Key prefix of the queue (separate queues on one server); default viml")]
    public string Prefix { get; init; } = "viml";

    [CommandOption("--claim-idle <SECONDS>"), Description("A job silent this long is taken over from its (dead) worker; default 60")]
    public double ClaimIdleSeconds { get; init; } = 60;

    [CommandOption("--max-deliveries <N>"), Description("A job that fails this many times goes to the dead-letter stream; default 3")]
    public int MaxDeliveries { get; init; } = 3;

    [CommandOption("--give-up <SECONDS>"), Description("A client stops when Redis stays unreachable this long (workers wait for ever); default 60")]
    public double GiveUpSeconds { get; init; } = 60;

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Redis)) return ValidationResult.Error("--redis <URL> is required");
        if (ClaimIdleSeconds <= 0) return ValidationResult.Error("--claim-idle must be positive");
        if (MaxDeliveries < 1) return ValidationResult.Error("--max-deliveries must be at least 1");
        if (!(GiveUpSeconds > 0 && GiveUpSeconds <= 86400)) return ValidationResult.Error("--give-up must be more than 0 and at most 86400 seconds");
        return ValidationResult.Success();
    }

    public JobOptions Options => new(Prefix, TimeSpan.FromSeconds(ClaimIdleSeconds), MaxDeliveries, GiveUp: TimeSpan.FromSeconds(GiveUpSeconds));
}

sealed class WorkerCommand : Command<RedisSettings>
{
    /// <summary>The job kinds a <c>viml worker</c> runs: one line per kind. Encoders load on the first job that needs them.</summary>
    static Dictionary<string, JobHandler> Handlers(List<IDisposable> owned)
    {
        T Own<T>(T x) where T : IDisposable { lock (owned) owned.Add(x); return x; }
        var music = new Lazy<MusicnnEncoder>(() => Own(new MusicnnEncoder()));
        var frames = new Dictionary<string, IFrameEncoder>(StringComparer.Ordinal);
        var extractors = new Dictionary<FeatureSpec, Extractor>();
        Extractor ExtractorFor(FeatureSpec x)
        {
            // the job's frame encoder, or the job fails naming it (a config missing on this worker): never another one
            if (!frames.TryGetValue(x.FrameEncoder, out var f))
                frames[x.FrameEncoder] = f = Own(EncoderRegistry.CreateFrameEncoder(x.FrameEncoder));
            if (!extractors.TryGetValue(x, out var e))
                extractors[x] = e = new Extractor(f, music.Value, new ExtractorOptions(Fps: x.Fps, SegmentSeconds: x.SegmentSeconds));
            return e;
        }
        var parts = new Dictionary<string, IngestParts>();
        IngestParts PartsFor(string checkpoint)
        {
            if (!parts.TryGetValue(checkpoint, out var p))
                parts[checkpoint] = p = CatalogParts.Ingest(Own(new TrainedCatalogModel(checkpoint)), music.Value);
            return p;
        }
        return new()
        {
            [ChecksumJob.Kind] = ChecksumJob.Run,
            [FeaturesJob.Kind] = FeaturesJob.Handler(ExtractorFor),
            [CatalogJob.Kind] = CatalogJob.Handler(PartsFor),
        };
    }

    public override int Execute(CommandContext context, RedisSettings s, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var queue = JobQueue.Connect(s.Redis!, s.Options);
        queue.Notice += m => Console.Error.WriteLine($"viml: {m}");
        var owned = new List<IDisposable>();
        var handlers = Handlers(owned);
        var worker = new Worker(queue, handlers);
        worker.JobFinished += e => Console.Out.WriteLine(
            $"{e.Outcome} {e.Job.Kind} {e.Job.Key} ({e.Elapsed.TotalSeconds:0.00} s, delivery {e.Job.Delivery}){(e.Error is null ? "" : ": " + e.Error)}");
        Console.Out.WriteLine($"worker {worker.Consumer} on {s.Redis} ({s.Prefix}): runs {string.Join(", ", handlers.Keys)}; Ctrl-C stops");
        Console.Out.Flush();
        worker.Run(stop.Token);
        owned.ForEach(d => d.Dispose());
        Console.Out.WriteLine($"stopped: {worker.Stats.Done} done, {worker.Stats.Failed} failed, {worker.Stats.DeadLettered} dead-lettered, {worker.Stats.Reclaimed} taken over");
        return 0;
    }
}

/// <summary>Enqueue-and-wait for verbs that accept <c>--redis</c>: jobs go to the workers, a progress bar follows their results.</summary>
static class RemoteJobs
{
    /// <summary>Enqueues <paramref name="jobs"/>, waits for all, prints dead-lettered ones; exit code 0 when all are done, 1 otherwise.</summary>
    public static int EnqueueAndWait(string redis, JobOptions options, IEnumerable<Job> jobs, string what, CancellationToken ct) =>
        EnqueueAndWait(redis, options, jobs, what, ct, out _);

    public static int EnqueueAndWait(string redis, JobOptions options, IEnumerable<Job> jobs, string what, CancellationToken ct, out JobBatchResult result)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ConsoleCancelEventHandler onCtrlC = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCtrlC;
        try { return EnqueueAndWaitCore(redis, options, jobs, what, stop.Token, out result); }
        finally { Console.CancelKeyPress -= onCtrlC; }
    }

    static int EnqueueAndWaitCore(string redis, JobOptions options, IEnumerable<Job> jobs, string what, CancellationToken ct, out JobBatchResult result)
    {
        using var queue = JobQueue.Connect(redis, options);
        queue.Notice += m => Console.Error.WriteLine($"viml: {m}");
        var batch = queue.Enqueue(jobs);
        result = new JobBatchResult([], new Dictionary<string, string>());
        if (batch.Count == 0) { AnsiConsole.MarkupLine($"nothing to {Markup.Escape(what)}"); return 0; }
        JobBatchResult waited = null!;
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{what}: 0/{batch.Count}", maxValue: batch.Count);
                waited = queue.WaitAll(batch, new SyncProgress<JobProgress>(p =>
                {
                    task.Value = p.Done;
                    task.Description = $"{what}: {p.Done}/{p.Total}{(p.Dead > 0 ? $", {p.Dead} failed" : "")}";
                }), ct);
            });
        result = waited;
        foreach (var (key, error) in result.Dead.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Console.Error.WriteLine($"viml: failed: {key}: {error}");
        AnsiConsole.MarkupLine($"{result.Done.Count} of {batch.Count} done by the workers{(result.Dead.Count > 0 ? $", {result.Dead.Count} failed (dead-letter stream {Markup.Escape(options.Prefix)}:dead)" : "")}");
        return result.Dead.Count == 0 ? 0 : 1;
    }
}

sealed class JobsChecksumCommand : Command<JobsChecksumCommand.Settings>
{
    public sealed class Settings : RedisSettings
    {
        [CommandArgument(0, "<files>"), Description("Files to checksum on the workers")]
        public string[] Files { get; init; } = [];

        [CommandOption("--out <DIR>"), Description("Folder for the .sha256 results (must be visible to the workers)")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out <DIR> is required") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        foreach (var f in s.Files) if (!File.Exists(f)) throw new InvalidInputException($"{f}: no such file");
        return RemoteJobs.EnqueueAndWait(s.Redis!, s.Options, s.Files.Select(f => ChecksumJob.Create(f, s.Out!)), "checksum", cancellation);
    }
}

sealed class JobsStatusCommand : Command<RedisSettings>
{
    public override int Execute(CommandContext context, RedisSettings s, CancellationToken cancellation)
    {
        using var queue = JobQueue.Connect(s.Redis!, s.Options);
        var (queued, running) = queue.Backlog();
        var dead = queue.DeadLetters();
        AnsiConsole.MarkupLine($"{queued} job(s) in {Markup.Escape(s.Prefix)}:jobs, {running} of them running; {dead.Count} dead-lettered");
        foreach (var d in dead.TakeLast(20))
            AnsiConsole.WriteLine($"  dead {d.Job.Kind} {d.Job.Key} after {d.Deliveries} deliveries: {d.Error}");
        return 0;
    }
}
