using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Viml.Jobs;
using Viml.Tests.Cli;

namespace Viml.Tests.Jobs;

/// <summary>
/// A Redis server of its own per test, killed (SIGKILL, no persistence: everything it held is lost) and
/// started again on the same port while a batch runs.
/// </summary>
public class RedisOutageTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    static List<string> MakeFiles(TempDir dir, int n)
    {
        Directory.CreateDirectory(dir["in"]);
        return Enumerable.Range(0, n).Select(i =>
        {
            string f = dir[$"in/f{i:00}.bin"];
            File.WriteAllBytes(f, Enumerable.Range(0, 500 + i).Select(b => (byte)(b * 7 + i)).ToArray());
            return f;
        }).ToList();
    }

    /// <summary>The finished results. Delivery is at least once: after a restart without persistence the client enqueues
    /// its batch again, so a job already done may run a second time while the test looks, its result still a temp file.</summary>
    static string[] Results(TempDir dir) => Directory.GetFiles(dir["out"], "*.sha256");

    static void AssertEveryResult(TempDir dir, List<string> files)
    {
        Assert.Equal(files.Count, Results(dir).Length);
        foreach (var f in files)
            Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))}  {Path.GetFullPath(f)}\n",
                File.ReadAllText(ChecksumJob.ResultPath(dir["out"], f)));
    }

    static void WaitUntil(Func<bool> condition, string what, Process? watched = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline) Assert.Fail($"{what}: not within {Deadline.TotalSeconds} s");
            if (watched is { HasExited: true }) Assert.Fail($"{what}: the process ended first (exit {watched.ExitCode})");
            Thread.Sleep(20);
        }
    }

    /// <summary>A short sync timeout keeps each failed command short while the server is away.</summary>
    static string Config(RedisServer server) => $"127.0.0.1:{server.Port},connectTimeout=1000,syncTimeout=1000";

    [Fact]
    public void A_client_and_a_worker_finish_their_batch_across_a_restart_that_lost_the_queue()
    {
        using var server = new RedisServer();
        using var dir = new TempDir();
        var files = MakeFiles(dir, 10);
        var options = new JobOptions("outage", TimeSpan.FromSeconds(1), 3, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(60));
        using var client = JobQueue.Connect(Config(server), options);
        using var workerQueue = JobQueue.Connect(Config(server), options);
        var notices = new ConcurrentQueue<string>();
        client.Notice += notices.Enqueue;
        workerQueue.Notice += notices.Enqueue;
        var batch = client.Enqueue(files.Select(f => ChecksumJob.Create(f, dir["out"], holdMs: 500)));
        using var stop = new CancellationTokenSource();
        var worker = new Worker(workerQueue, ChecksumJob.Kind, ChecksumJob.Run);
        var working = Task.Factory.StartNew(() => worker.Run(stop.Token), TaskCreationOptions.LongRunning);
        using var waitCancel = new CancellationTokenSource(Deadline);
        var waiting = Task.Run(() => client.WaitAll(batch, null, waitCancel.Token));

        WaitUntil(() => Directory.Exists(dir["out"]) && Directory.GetFiles(dir["out"]).Length > 0, "a first result");
        Assert.False(waiting.IsCompleted);
        server.Kill();
        server.Restart();
        int i = Task.WaitAny(working, waiting);
        Assert.True(i == 1, $"the worker stopped: {working.Exception}");
        var result = waiting.GetAwaiter().GetResult();
        stop.Cancel();
        working.Wait();

        Assert.Equal(10, result.Done.Count);
        Assert.Empty(result.Dead);
        AssertEveryResult(dir, files);
        Assert.Contains(notices, n => n.Contains("enqueued its") && n.Contains("again"));
    }

    [Fact]
    public void A_client_whose_server_stays_away_gives_up_after_its_limit_naming_the_server()
    {
        using var server = new RedisServer();
        using var dir = new TempDir();
        var options = new JobOptions("away", Poll: TimeSpan.FromMilliseconds(20), GiveUp: TimeSpan.FromSeconds(1));
        using var client = JobQueue.Connect(Config(server), options);
        var batch = client.Enqueue(MakeFiles(dir, 1).Select(f => ChecksumJob.Create(f, dir["out"])));
        server.Kill();
        var e = Assert.Throws<RedisUnavailableException>(() => client.WaitAll(batch));
        Assert.StartsWith($"127.0.0.1:{server.Port},", e.Message);
        Assert.Contains("Redis did not answer for 1 s", e.Message);
        Assert.Equal(2, Viml.Cli.ExitCodes.For(e));
    }

    [Fact]
    public void A_worker_whose_stream_and_group_were_deleted_creates_them_again()
    {
        using var server = new RedisServer();
        using var dir = new TempDir();
        var files = MakeFiles(dir, 3);
        var options = new JobOptions("nogroup", TimeSpan.FromSeconds(1), 3, TimeSpan.FromMilliseconds(20));
        using var queue = new JobQueue(server.Connection, options);
        using var stop = new CancellationTokenSource();
        var worker = new Worker(queue, ChecksumJob.Kind, ChecksumJob.Run);
        var working = Task.Factory.StartNew(() => worker.Run(stop.Token), TaskCreationOptions.LongRunning);
        server.Connection.GetDatabase().KeyDelete("nogroup:jobs");   // what a restart without persistence leaves
        var batch = queue.Enqueue(files.Select(f => ChecksumJob.Create(f, dir["out"])));
        using var waitCancel = new CancellationTokenSource(Deadline);
        var waiting = Task.Run(() => queue.WaitAll(batch, null, waitCancel.Token));
        int i = Task.WaitAny(working, waiting);
        Assert.True(i == 1, $"the worker stopped: {working.Exception}");
        Assert.Equal(3, waiting.Result.Done.Count);
        stop.Cancel();
        working.Wait();
        AssertEveryResult(dir, files);
    }

    [Fact, Trait("Category", "E2E")]
    public void The_cli_client_and_worker_survive_a_redis_restart_and_the_client_exits_0()
    {
        using var server = new RedisServer();
        using var dir = new TempDir();
        var files = MakeFiles(dir, 16);
        using var worker = CliProcess.Start("worker", "--redis", server.Url, "--prefix", "cli", "--claim-idle", "1");
        var workerLog = new ConcurrentQueue<string>();
        worker.OutputDataReceived += (_, e) => workerLog.Enqueue(e.Data ?? "");
        worker.ErrorDataReceived += (_, e) => workerLog.Enqueue(e.Data ?? "");
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            // the checksum verb has no hold option: slow jobs are enqueued through the library, then the CLI client waits
            // for a batch of its own, queued behind them
            using (var q = new JobQueue(server.Connection, new JobOptions("cli")))
                q.Enqueue(files.Take(8).Select(f => ChecksumJob.Create(f, dir["slow"], holdMs: 3000)));
            using var client = CliProcess.Start(new[] { "jobs", "checksum" }.Concat(files.Skip(8))
                .Concat(new[] { "--out", dir["out"], "--redis", server.Url, "--prefix", "cli", "--claim-idle", "1" }).ToArray());
            var stdout = client.StandardOutput.ReadToEndAsync();
            var stderr = client.StandardError.ReadToEndAsync();
            var db = server.Connection.GetDatabase();
            var keys = server.Connection.GetServer(server.Connection.GetEndPoints()[0]);
            WaitUntil(() => db.StreamPending("cli:jobs", "workers").PendingMessageCount > 0, "the worker took a job", worker);
            // two batch markers: the slow jobs' and the client's
            WaitUntil(() => keys.Keys(pattern: "cli:batch:*:queued").Count() == 2, "the client enqueued its batch", client);
            Assert.False(client.HasExited, stdout.IsCompleted ? stdout.Result + stderr.Result : "");
            server.Kill();
            server.Restart();
            Assert.True(client.WaitForExit((int)Deadline.TotalMilliseconds), "the client did not finish");
            client.WaitForExit();
            Assert.True(client.ExitCode == 0, stdout.Result + stderr.Result);
            string log = $"client:\n{stdout.Result}{stderr.Result}\nworker:\n{string.Join("\n", workerLog)}";
            Assert.True(stdout.Result.Contains("8 of 8 done") && stderr.Result.Contains("enqueued its"), log);
            Assert.False(worker.HasExited, string.Join("\n", workerLog));
            Assert.Equal(8, Results(dir).Length);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill();
            worker.WaitForExit();
        }
    }

    [Fact, Trait("Category", "E2E")]
    public void A_cli_client_whose_redis_stays_away_gives_up_naming_the_server()
    {
        using var server = new RedisServer();
        using var dir = new TempDir();
        var files = MakeFiles(dir, 2);
        using var client = CliProcess.Start(new[] { "jobs", "checksum" }.Concat(files)
            .Concat(new[] { "--out", dir["out"], "--redis", server.Url, "--prefix", "away", "--give-up", "2" }).ToArray());
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        var db = server.Connection.GetDatabase();
        WaitUntil(() => db.KeyExists("away:jobs") && db.StreamLength("away:jobs") == 2, "the jobs enqueued", client);
        server.Kill();
        Assert.True(client.WaitForExit((int)Deadline.TotalMilliseconds), "the client did not give up");
        client.WaitForExit();
        Assert.True(client.ExitCode == 2, stdout.Result + stderr.Result);
        Assert.Contains($"viml: {server.Url}: Redis did not answer for 2 s", stderr.Result);
        Assert.DoesNotContain("internal error", stderr.Result);
    }
}
