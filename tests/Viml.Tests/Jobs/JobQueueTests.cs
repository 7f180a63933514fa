using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Viml.Jobs;
using Viml.Tests.Cli;

namespace Viml.Tests.Jobs;

[Collection("redis")]
public class JobQueueTests(RedisServer redis)
{
    static JobOptions Fast(string prefix, double claimIdle = 1, int maxDeliveries = 3) =>
        new(prefix, TimeSpan.FromSeconds(claimIdle), maxDeliveries, TimeSpan.FromMilliseconds(20));

    static string Prefix() => "t" + Guid.NewGuid().ToString("N")[..8];

    static List<string> MakeFiles(TempDir dir, int n)
    {
        var files = new List<string>();
        var rng = new Random(n);
        for (int i = 0; i < n; i++)
        {
            var bytes = new byte[1000 + i];
            rng.NextBytes(bytes);
            files.Add(dir[$"in/f{i:00}.bin"]);
            Directory.CreateDirectory(dir["in"]);
            File.WriteAllBytes(files[^1], bytes);
        }
        return files;
    }

    static void AssertEveryResultOnce(TempDir dir, List<string> files)
    {
        var results = Directory.GetFiles(dir["out"]);
        Assert.Equal(files.Count, results.Length);   // one file per item, no temp leftovers
        foreach (var f in files)
        {
            string line = File.ReadAllText(ChecksumJob.ResultPath(dir["out"], f));
            Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))}  {Path.GetFullPath(f)}\n", line);
        }
    }

    static (List<Task> Tasks, List<Worker> Workers) StartWorkers(JobQueue queue, int n, IReadOnlyDictionary<string, JobHandler> handlers, CancellationToken ct)
    {
        var workers = Enumerable.Range(0, n).Select(i => new Worker(queue, handlers, $"inproc-{i}")).ToList();
        var tasks = workers.Select(w => Task.Factory.StartNew(() => w.Run(ct), TaskCreationOptions.LongRunning)).ToList();
        return (tasks, workers);
    }

    /// <summary>WaitAll bounded by a deadline; a worker that crashed is reported rather than waited for.</summary>
    static JobBatchResult WaitAll(JobQueue queue, JobBatch batch, List<Task> workers, IProgress<JobProgress>? progress = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var wait = Task.Run(() => queue.WaitAll(batch, progress, cts.Token));
        int i = Task.WaitAny(workers.Append(wait).ToArray());
        if (i < workers.Count) { cts.Cancel(); throw new Xunit.Sdk.XunitException($"worker {i} stopped: {workers[i].Exception}"); }
        return wait.GetAwaiter().GetResult();
    }

    [Fact]
    public void Several_workers_finish_every_job_once_and_report_progress()
    {
        using var dir = new TempDir();
        var files = MakeFiles(dir, 20);
        using var queue = new JobQueue(redis.Connection, Fast(Prefix()));
        var batch = queue.Enqueue(files.Select(f => ChecksumJob.Create(f, dir["out"])));
        Assert.Equal(20, batch.Count);
        using var cts = new CancellationTokenSource();
        var (tasks, workers) = StartWorkers(queue, 3, new Dictionary<string, JobHandler> { [ChecksumJob.Kind] = ChecksumJob.Run }, cts.Token);
        var seen = new ConcurrentBag<int>();
        var result = WaitAll(queue, batch, tasks, new SyncProgress(p => seen.Add(p.Done)));
        cts.Cancel();
        Task.WaitAll(tasks.ToArray());

        Assert.Equal(20, result.Done.Count);
        Assert.Empty(result.Dead);
        Assert.InRange(workers.Sum(w => w.Stats.Done), 20, 40);   // at least once
        Assert.Contains(20, seen);
        AssertEveryResultOnce(dir, files);
        Assert.Equal((0L, 0L), queue.Backlog());
    }

    [Fact]
    public void A_worker_process_killed_mid_job_loses_nothing_its_job_is_reclaimed()
    {
        using var dir = new TempDir();
        var files = MakeFiles(dir, 6);
        string prefix = Prefix();
        using var queue = new JobQueue(redis.Connection, Fast(prefix, claimIdle: 1));
        var batch = queue.Enqueue(files.Select(f => ChecksumJob.Create(f, dir["out"], holdMs: 600)));

        // A separate `viml worker` process takes a job; SIGKILL it while the job runs.
        using var victim = CliProcess.Start("worker", "--redis", redis.Url, "--prefix", prefix, "--claim-idle", "1");
        var output = new System.Text.StringBuilder();
        victim.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        victim.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        victim.BeginOutputReadLine();
        victim.BeginErrorReadLine();
        string victimConsumer = "";
        var deadline = Stopwatch.StartNew();
        var db = redis.Connection.GetDatabase();
        while (victimConsumer == "")
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(3) || victim.HasExited)
            {
                if (!victim.HasExited) victim.Kill();
                lock (output) Assert.Fail("the worker process never took a job: " + output);
            }
            var pending = db.StreamPending($"{prefix}:jobs", "workers");
            victimConsumer = pending.Consumers.FirstOrDefault(c => c.PendingMessageCount > 0).Name.ToString() ?? "";
            if (victimConsumer == "") Thread.Sleep(20);
        }
        victim.Kill();   // SIGKILL
        victim.WaitForExit();
        // Killed mid-job: its job was never acknowledged.
        var left = db.StreamPending($"{prefix}:jobs", "workers");
        Assert.Equal(1, left.Consumers.Single(c => c.Name == victimConsumer).PendingMessageCount);

        using var cts = new CancellationTokenSource();
        var (tasks, workers) = StartWorkers(queue, 2, new Dictionary<string, JobHandler> { [ChecksumJob.Kind] = ChecksumJob.Run }, cts.Token);
        var result = WaitAll(queue, batch, tasks);
        cts.Cancel();
        Task.WaitAll(tasks.ToArray());

        Assert.Equal(6, result.Done.Count);
        Assert.Empty(result.Dead);
        Assert.InRange(workers.Sum(w => w.Stats.Reclaimed), 1, 6);   // the killed worker's job (more only if this machine stalls a heartbeat)
        Assert.InRange(workers.Sum(w => w.Stats.Done), 6, 12);        // at least once
        AssertEveryResultOnce(dir, files);
    }

    [Fact]
    public void A_job_that_always_fails_goes_to_the_dead_letter_stream_with_its_error_and_others_finish()
    {
        using var dir = new TempDir();
        var files = MakeFiles(dir, 4);
        using var queue = new JobQueue(redis.Connection, Fast(Prefix(), claimIdle: 0.2, maxDeliveries: 3));
        int poisonRuns = 0;
        var handlers = new Dictionary<string, JobHandler>
        {
            [ChecksumJob.Kind] = ChecksumJob.Run,
            ["poison"] = (job, ct) => { Interlocked.Increment(ref poisonRuns); throw new InvalidDataException($"cannot decode {job.Key}"); },
        };
        var batch = queue.Enqueue(files.Select(f => ChecksumJob.Create(f, dir["out"]))
            .Append(new Job("poison", "bad-item", "{}"))
            .Append(new Job("no-such-kind", "orphan", "{}")));
        using var cts = new CancellationTokenSource();
        var (tasks, workers) = StartWorkers(queue, 2, handlers, cts.Token);
        var result = WaitAll(queue, batch, tasks);
        cts.Cancel();
        Task.WaitAll(tasks.ToArray());

        Assert.Equal(4, result.Done.Count);
        Assert.Equal(new[] { "bad-item", "orphan" }, result.Dead.Keys.Order());
        Assert.Contains("cannot decode bad-item", result.Dead["bad-item"]);
        Assert.Equal(3, poisonRuns);
        var dead = queue.DeadLetters();
        Assert.Equal(2, dead.Count);
        var poison = dead.Single(d => d.Job.Key == "bad-item");
        Assert.Equal(("poison", 3L), (poison.Job.Kind, poison.Deliveries));
        Assert.Contains("InvalidDataException: cannot decode bad-item", poison.Error);
        Assert.Contains("no handler for kind 'no-such-kind'", dead.Single(d => d.Job.Key == "orphan").Error);
        AssertEveryResultOnce(dir, files);
    }

    [Fact]
    public void A_job_done_twice_leaves_one_result_and_duplicate_keys_in_a_batch_are_one_job()
    {
        using var dir = new TempDir();
        var files = MakeFiles(dir, 2);
        using var queue = new JobQueue(redis.Connection, Fast(Prefix()));
        var batch = queue.Enqueue(new[] { ChecksumJob.Create(files[0], dir["out"]), ChecksumJob.Create(files[0], dir["out"]), ChecksumJob.Create(files[1], dir["out"]) });
        Assert.Equal(2, batch.Count);
        var again = queue.Enqueue(new[] { ChecksumJob.Create(files[0], dir["out"]) });   // a second batch redoes item 0
        using var cts = new CancellationTokenSource();
        var (tasks, _) = StartWorkers(queue, 2, new Dictionary<string, JobHandler> { [ChecksumJob.Kind] = ChecksumJob.Run }, cts.Token);
        WaitAll(queue, batch, tasks);
        WaitAll(queue, again, tasks);
        cts.Cancel();
        Task.WaitAll(tasks.ToArray());
        AssertEveryResultOnce(dir, files);
    }

    [Fact]
    public void Jobs_with_bad_input_are_dead_lettered_at_the_first_failure_without_retries()
    {
        using var dir = new TempDir();
        using var queue = new JobQueue(redis.Connection, Fast(Prefix(), claimIdle: 0.2, maxDeliveries: 5));
        var batch = queue.Enqueue(new[]
        {
            new Job(ChecksumJob.Kind, "not-json", "{{{"),
            ChecksumJob.Create(dir["missing.bin"], dir["out"]),
            new Job(FeaturesJob.Kind, "bad-features", "[]"),
        });
        using var cts = new CancellationTokenSource();
        var (tasks, _) = StartWorkers(queue, 1, new Dictionary<string, JobHandler>
        {
            [ChecksumJob.Kind] = ChecksumJob.Run,
            [FeaturesJob.Kind] = FeaturesJob.Handler(_ => throw new InvalidOperationException("no extractor needed")),
        }, cts.Token);
        var result = WaitAll(queue, batch, tasks);
        cts.Cancel();
        Task.WaitAll(tasks.ToArray());
        Assert.Equal(3, result.Dead.Count);
        Assert.Contains("malformed input", result.Dead["not-json"]);
        Assert.Contains("missing.bin: no such file", result.Dead[Path.GetFullPath(dir["missing.bin"])]);
        Assert.Contains("features job bad-features: malformed input", result.Dead["bad-features"]);
        Assert.All(queue.DeadLetters(), d => Assert.Equal(1, d.Deliveries));
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void A_batch_expires_a_day_after_its_last_result_even_when_no_client_waits_for_it()
    {
        using var dir = new TempDir();
        var files = MakeFiles(dir, 3);
        string prefix = Prefix();
        using var queue = new JobQueue(redis.Connection, Fast(prefix));
        var batch = queue.Enqueue(files.Select(f => ChecksumJob.Create(f, dir["out"])));
        var db = redis.Connection.GetDatabase();
        Assert.True(db.KeyTimeToLive($"{prefix}:batch:{batch.Id}:queued") is { } queued && queued <= TimeSpan.FromDays(1));
        using var cts = new CancellationTokenSource();
        var (tasks, _) = StartWorkers(queue, 1, new Dictionary<string, JobHandler> { [ChecksumJob.Kind] = ChecksumJob.Run }, cts.Token);
        var clock = Stopwatch.StartNew();
        while (queue.Progress(batch).Done < 3)   // the client never calls WaitAll (it died, or was stopped)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60) && !tasks[0].IsCompleted, "the worker did not finish the batch");
            Thread.Sleep(20);
        }
        cts.Cancel();
        Task.WaitAll(tasks.ToArray());
        var ttl = db.KeyTimeToLive($"{prefix}:batch:{batch.Id}");
        Assert.True(ttl is { } t && t > TimeSpan.FromHours(23) && t <= TimeSpan.FromDays(1), $"TTL {ttl}");

        queue.WaitAll(batch);   // a client that waits removes its marker and leaves the results for a day
        Assert.False(db.KeyExists($"{prefix}:batch:{batch.Id}:queued"));
        Assert.True(db.KeyTimeToLive($"{prefix}:batch:{batch.Id}") is { } after && after <= TimeSpan.FromDays(1));
    }

    [Fact]
    public void A_bad_redis_url_is_a_clear_error()
    {
        var e = Assert.Throws<InvalidInputException>(() => JobQueue.Connect("127.0.0.1:1,connectTimeout=300,connectRetry=1"));
        Assert.Contains("127.0.0.1:1,connectTimeout=300,connectRetry=1: cannot connect", e.Message);
        Assert.Throws<InvalidInputException>(() => RedisUrl.Parse("redis://h:6379/notanumber"));
        Assert.Equal("redis://:***@h:6379", RedisUrl.Redact("redis://:secret@h:6379"));
        Assert.Equal("redis://bob:***@h:6379/2", RedisUrl.Redact("redis://bob:secret@h:6379/2"));
        Assert.Equal("h:6379,password=***,ssl=true", RedisUrl.Redact("h:6379,password=secret,ssl=true"));
    }

    sealed class SyncProgress(Action<JobProgress> a) : IProgress<JobProgress> { public void Report(JobProgress p) => a(p); }
}
