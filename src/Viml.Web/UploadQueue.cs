using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Viml.Web;

/// <summary>
/// Bounds the heavy work of <c>POST /api/recommend</c>: at most <c>workers</c> queries run at once (each on
/// a thread of its own while it decodes and encodes) and at most <c>waiting</c> more are admitted, uploading
/// or waiting for a worker; a request beyond that is answered at once with 503 and a Retry-After estimated
/// from recent queries. Nothing else waits on it: the page, the track list and audio stay fast under a flood
/// of uploads, and the thread pool is not drained by queries blocked behind each other.
/// </summary>
public sealed class UploadQueue : IDisposable
{
    readonly SemaphoreSlim workers;
    readonly int capacity;
    int admitted;
    double meanSeconds = 2;   // until a query has been timed

    public UploadQueue(int workers, int waiting)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), "at least one worker");
        if (waiting < 0) throw new ArgumentOutOfRangeException(nameof(waiting), "not negative");
        this.workers = new SemaphoreSlim(workers, workers);
        Workers = workers;
        capacity = workers + waiting;
    }

    public int Workers { get; }
    /// <summary>Requests admitted now: running, uploading or waiting for a worker.</summary>
    public int Admitted => Volatile.Read(ref admitted);

    /// <summary>A place in the queue, or null when it is full (answer <see cref="Busy"/>).</summary>
    public Lease? TryEnter()
    {
        if (Interlocked.Increment(ref admitted) <= capacity) return new Lease(this);
        Interlocked.Decrement(ref admitted);
        return null;
    }

    /// <summary>Seconds a refused client should wait: the queries ahead of it at the recent pace, 1-300.</summary>
    public int RetryAfterSeconds => (int)Math.Clamp(Math.Ceiling(Volatile.Read(ref meanSeconds) * Admitted / Workers), 1, 300);

    /// <summary>503 with Retry-After, as a problem document.</summary>
    public BusyResult Busy() => new(RetryAfterSeconds, capacity);

    public void Dispose() => workers.Dispose();

    /// <summary>One admitted request; <see cref="RunAsync"/> waits for a worker; disposing leaves the queue.</summary>
    public sealed class Lease(UploadQueue queue) : IDisposable
    {
        int left;

        public async Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
        {
            await queue.workers.WaitAsync(ct);
            try
            {
                var clock = Stopwatch.StartNew();
                var result = await Task.Factory.StartNew(work, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                double mean = Volatile.Read(ref queue.meanSeconds);
                Volatile.Write(ref queue.meanSeconds, 0.8 * mean + 0.2 * clock.Elapsed.TotalSeconds);
                return result;
            }
            finally { queue.workers.Release(); }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref left, 1) == 0) Interlocked.Decrement(ref queue.admitted);
        }
    }
}
