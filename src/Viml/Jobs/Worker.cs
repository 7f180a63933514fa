using System.Diagnostics;
using StackExchange.Redis;

namespace Viml.Jobs;

/// <summary>What one worker did.</summary>
public sealed class WorkerStats
{
    int done, failed, dead, reclaimed;
    public int Done => done;
    public int Failed => failed;
    public int DeadLettered => dead;
    /// <summary>Jobs taken over from a worker that died or stalled.</summary>
    public int Reclaimed => reclaimed;
    internal void AddDone() => Interlocked.Increment(ref done);
    internal void AddFailed() => Interlocked.Increment(ref failed);
    internal void AddDead() => Interlocked.Increment(ref dead);
    internal void AddReclaimed() => Interlocked.Increment(ref reclaimed);
}

/// <summary>A job finished, failed or was dead-lettered (for logging).</summary>
public sealed record JobEvent(Job Job, string Outcome, TimeSpan Elapsed, string? Error = null);

/// <summary>
/// Consumes the job stream as one consumer of the group. Each loop it first takes over a job that has
/// been pending longer than <see cref="JobOptions.ClaimIdle"/> (its worker died; XAUTOCLAIM), else reads
/// a new one (XREADGROUP). While a handler runs, a heartbeat keeps the job's idle time low so that live
/// slow jobs are not taken over. Success acknowledges the job and records its key in the batch; failure
/// leaves it pending for a retry after the claim timeout (an <see cref="InvalidInputException"/>, which
/// would fail the same way again, dead-letters at once); after <see cref="JobOptions.MaxDeliveries"/>
/// deliveries (counted by Redis, XPENDING) it goes to the dead-letter stream with the last error.
/// A lost server is waited for with backoff, for ever; a server that lost the stream or its group
/// (restarted without persistence) gets them created again.
/// </summary>
public sealed class Worker
{
    readonly JobQueue queue;
    readonly IReadOnlyDictionary<string, JobHandler> handlers;
    readonly JobOptions o;
    public string Consumer { get; }
    public WorkerStats Stats { get; } = new();
    public event Action<JobEvent>? JobFinished;

    public Worker(JobQueue queue, IReadOnlyDictionary<string, JobHandler> handlers, string? consumer = null)
    {
        this.queue = queue;
        this.handlers = handlers;
        o = queue.Options;
        Consumer = consumer ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
    }

    /// <summary>A worker with one handler for one job kind.</summary>
    public Worker(JobQueue queue, string kind, JobHandler handler, string? consumer = null)
        : this(queue, new Dictionary<string, JobHandler> { [kind] = handler }, consumer) { }

    /// <summary>Processes jobs until <paramref name="ct"/> is cancelled (a job in progress is left pending and reclaimed by another worker).</summary>
    public void Run(CancellationToken ct)
    {
        var db = queue.Db;
        var retry = queue.RetryForever;
        var lastScan = Stopwatch.StartNew();
        bool scanNow = true;
        var scanEvery = TimeSpan.FromTicks(Math.Max(o.ClaimIdleTime.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks));
        while (!ct.IsCancellationRequested)
        {
            try
            {
                StreamEntry? entry = null;
                bool reclaimed = false;
                if (scanNow || lastScan.Elapsed >= scanEvery)
                {
                    lastScan.Restart();
                    var claim = retry.Run(() => db.StreamAutoClaim(
                        o.Stream, JobOptions.Group, Consumer, (long)o.ClaimIdleTime.TotalMilliseconds, "0-0", 1), ct);
                    scanNow = claim.ClaimedEntries.Length > 0;   // more may be waiting
                    if (claim.ClaimedEntries.Length > 0) { entry = claim.ClaimedEntries[0]; reclaimed = true; }
                }
                if (entry is null)
                {
                    var read = retry.Run(() => db.StreamReadGroup(o.Stream, JobOptions.Group, Consumer, StreamPosition.NewMessages, 1), ct);
                    if (read.Length > 0) entry = read[0];
                }
                if (entry is not { IsNull: false } next) { ct.WaitHandle.WaitOne(o.PollTime); continue; }
                if (reclaimed) Stats.AddReclaimed();
                Process(db, next, reclaimed, ct);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                queue.Report($"{queue.Server}: the job stream or its group is gone (a restart without persistence?); creating it again");
                queue.EnsureGroup(retry);
                scanNow = true;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        }
    }

    void Process(IDatabase db, StreamEntry entry, bool reclaimed, CancellationToken ct)
    {
        string id = entry.Id!;
        var job = new Job((string?)entry["kind"] ?? "", (string?)entry["key"] ?? "", (string?)entry["input"] ?? "")
        {
            Batch = (string?)entry["batch"] ?? "",
            Delivery = reclaimed ? queue.RetryForever.Run(() => DeliveryCount(db, id), ct) : 1,
        };
        if (job.Delivery > o.MaxDeliveries)
        {
            string last = (string?)queue.RetryForever.Run(() => db.HashGet(o.Errors, id), ct)
                ?? $"not finished after {job.Delivery - 1} deliveries (its workers died or stalled)";
            DeadLetter(db, id, job, last, job.Delivery - 1, ct);
            return;
        }
        var watch = Stopwatch.StartNew();
        var beat = TimeSpan.FromTicks(Math.Max(o.ClaimIdleTime.Ticks / 3, TimeSpan.FromMilliseconds(20).Ticks));
        using var heartbeat = new Timer(_ =>
        {
            try { db.StreamClaimIdsOnly(o.Stream, JobOptions.Group, Consumer, 0, new RedisValue[] { id }, CommandFlags.FireAndForget); }
            catch (RedisException) { /* next beat, or the job is reclaimed: at least once either way */ }
        }, null, beat, beat);
        try
        {
            if (string.IsNullOrEmpty(job.Key)) throw new InvalidInputException($"job {id}: no key");
            if (!handlers.TryGetValue(job.Kind, out var handler))
                throw new VimlException($"job {id}: no handler for kind '{job.Kind}' on this worker (it runs: {string.Join(", ", handlers.Keys)})");
            handler(job, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;   // stopping: the job stays pending and is reclaimed by another worker
        }
        catch (Exception e)
        {
            heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
            Stats.AddFailed();
            string error = $"{e.GetType().Name}: {e.Message}";
            // bad input (a missing or undecodable file) fails the same way every time: no retries
            if (job.Delivery >= o.MaxDeliveries || e is InvalidInputException) DeadLetter(db, id, job, error, job.Delivery, ct);
            else
            {
                queue.RetryForever.Run(() => db.HashSet(o.Errors, id, error), ct);
                JobFinished?.Invoke(new JobEvent(job, "failed", watch.Elapsed, error));
            }
            return;
        }
        heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
        queue.RetryForever.Run(() =>
        {
            var tx = db.CreateTransaction();
            Settle(tx, id, job, "ok");
            tx.Execute();
        }, ct);
        Stats.AddDone();
        JobFinished?.Invoke(new JobEvent(job, "done", watch.Elapsed));
    }

    /// <summary>Queues, inside <paramref name="tx"/>, a job's result for its batch (which then lives a day from
    /// this write) and its removal from the stream and the error hash: one transaction, so a job is settled once.</summary>
    void Settle(ITransaction tx, string id, Job job, string result)
    {
        _ = tx.HashSetAsync(o.BatchResults(job.Batch), job.Key, result);
        _ = tx.KeyExpireAsync(o.BatchResults(job.Batch), JobOptions.BatchLifetime);
        _ = tx.StreamAcknowledgeAsync(o.Stream, JobOptions.Group, id);
        _ = tx.StreamDeleteAsync(o.Stream, new RedisValue[] { id });
        _ = tx.HashDeleteAsync(o.Errors, id);
    }

    long DeliveryCount(IDatabase db, string id)
    {
        var info = db.StreamPendingMessages(o.Stream, JobOptions.Group, 1, RedisValue.Null, id, id);
        return info.Length > 0 ? info[0].DeliveryCount : 1;
    }

    void DeadLetter(IDatabase db, string id, Job job, string error, long deliveries, CancellationToken ct)
    {
        queue.RetryForever.Run(() =>
        {
            var tx = db.CreateTransaction();
            _ = tx.StreamAddAsync(o.DeadLetters, new NameValueEntry[]
            {
                new("job", id), new("batch", job.Batch), new("kind", job.Kind), new("key", job.Key), new("input", job.Input),
                new("error", error), new("deliveries", deliveries), new("consumer", Consumer),
            });
            Settle(tx, id, job, "dead " + error);
            tx.Execute();
        }, ct);
        Stats.AddDead();
        JobFinished?.Invoke(new JobEvent(job, "dead", TimeSpan.Zero, error));
    }
}
