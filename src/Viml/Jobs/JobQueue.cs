using StackExchange.Redis;

namespace Viml.Jobs;

/// <summary>
/// One unit of work: a <paramref name="Kind"/> (which handler runs it, e.g. <c>features</c>, <c>catalog</c>,
/// <c>checksum</c>), a <paramref name="Key"/> naming its result (the item id or file it produces; a job done
/// twice writes the same result under the same key), and the <paramref name="Input"/> the handler reads
/// (JSON by convention).
/// </summary>
public sealed record Job(string Kind, string Key, string Input)
{
    /// <summary>The batch the job was enqueued in (set when read from the queue).</summary>
    public string Batch { get; init; } = "";
    /// <summary>How many times the job has been handed to a worker, this time included.</summary>
    public long Delivery { get; init; } = 1;
}

/// <summary>Runs one job; writes its result atomically under a name derived from <see cref="Job.Key"/>; throws on failure.</summary>
public delegate void JobHandler(Job job, CancellationToken ct);

/// <summary>Where jobs live in Redis and how they are retried.</summary>
/// <param name="Prefix">Key prefix: stream <c>{Prefix}:jobs</c>, dead letters <c>{Prefix}:dead</c>, batch results <c>{Prefix}:batch:{id}</c>.</param>
/// <param name="ClaimIdle">A job delivered to a worker that has not finished (nor sent a heartbeat) for this long is reclaimed by another worker.</param>
/// <param name="MaxDeliveries">A job that failed (or whose worker died) this many times goes to the dead-letter stream.</param>
/// <param name="Poll">Idle workers and waiting clients look again after this long.</param>
/// <param name="GiveUp">A client whose Redis server stays unreachable this long stops with an error naming it (workers wait for ever).</param>
public sealed record JobOptions(
    string Prefix = "viml", TimeSpan? ClaimIdle = null, int MaxDeliveries = 3, TimeSpan? Poll = null, TimeSpan? GiveUp = null)
{
    public TimeSpan ClaimIdleTime => ClaimIdle ?? TimeSpan.FromSeconds(60);
    public TimeSpan PollTime => Poll ?? TimeSpan.FromMilliseconds(200);
    public TimeSpan GiveUpTime => GiveUp ?? TimeSpan.FromSeconds(60);
    /// <summary>A batch's keys expire this long after their last write.</summary>
    public static TimeSpan BatchLifetime => TimeSpan.FromDays(1);
    internal RedisKey Stream => $"{Prefix}:jobs";
    internal RedisKey DeadLetters => $"{Prefix}:dead";
    internal RedisKey Errors => $"{Prefix}:errors";
    internal RedisKey BatchResults(string batch) => $"{Prefix}:batch:{batch}";
    /// <summary>Set while a batch is enqueued: gone means the server lost the queue (a restart without persistence).</summary>
    internal RedisKey BatchMarker(string batch) => $"{Prefix}:batch:{batch}:queued";
    internal const string Group = "workers";
}

/// <summary>A batch of enqueued jobs: its id and the distinct keys it holds.</summary>
public sealed record JobBatch(string Id, IReadOnlyList<string> Keys)
{
    public int Count => Keys.Count;
    /// <summary>The jobs, to enqueue again if the server loses them.</summary>
    internal IReadOnlyList<Job> Jobs { get; init; } = [];
}

/// <summary>Progress of a batch: finished (done or dead-lettered) of total.</summary>
public readonly record struct JobProgress(int Done, int Dead, int Total);

/// <summary>The outcome of a batch: keys done, and keys dead-lettered with their last error.</summary>
public sealed record JobBatchResult(IReadOnlyList<string> Done, IReadOnlyDictionary<string, string> Dead);

/// <summary>A job in the dead-letter stream.</summary>
public sealed record DeadLetter(string Id, Job Job, string Error, long Deliveries);

/// <summary>
/// The job queue on a Redis stream with one consumer group: clients <see cref="Enqueue"/> jobs and
/// <see cref="WaitAll"/> for their results; <see cref="Worker"/>s consume them. Delivery is at least once.
/// Every command is retried while the server is unreachable (<see cref="RedisRetry"/>): a client gives up
/// after <see cref="JobOptions.GiveUpTime"/>, a worker waits for ever. A client whose batch the server lost
/// (restarted without persistence) enqueues the unfinished jobs again.
/// </summary>
public sealed class JobQueue : IDisposable
{
    public IConnectionMultiplexer Redis { get; }
    public JobOptions Options { get; }
    /// <summary>The server's name in messages: its URL without a password.</summary>
    public string Server { get; }
    /// <summary>Lost connections and lost batches, for the front end to show.</summary>
    public event Action<string>? Notice;
    readonly bool ownsConnection;
    internal IDatabase Db => Redis.GetDatabase();
    internal RedisRetry Retry { get; }
    internal RedisRetry RetryForever { get; }

    public JobQueue(IConnectionMultiplexer redis, JobOptions? options = null, bool ownsConnection = false, string? server = null)
    {
        Redis = redis;
        Options = options ?? new JobOptions();
        this.ownsConnection = ownsConnection;
        Server = server ?? string.Join(",", redis.GetEndPoints().Select(e => e.ToString()));
        Retry = new RedisRetry(Server, Options.GiveUpTime, m => Notice?.Invoke(m));
        RetryForever = new RedisRetry(Server, null, m => Notice?.Invoke(m));
        EnsureGroup();
    }

    /// <summary>Connects to <paramref name="url"/> (<c>redis://[:password@]host[:port][/db]</c>, <c>rediss://</c> for TLS, or a StackExchange.Redis configuration string).</summary>
    public static JobQueue Connect(string url, JobOptions? options = null) =>
        new(RedisUrl.Connect(url), options, ownsConnection: true, server: RedisUrl.Redact(url));

    /// <summary>Creates the stream and its consumer group unless they exist (also after a server lost them).</summary>
    internal void EnsureGroup(RedisRetry? retry = null) => (retry ?? Retry).Run(() =>
    {
        try { Db.StreamCreateConsumerGroup(Options.Stream, JobOptions.Group, StreamPosition.Beginning, createStream: true); }
        catch (RedisServerException e) when (e.Message.Contains("BUSYGROUP")) { /* exists already */ }
    });

    internal void Report(string message) => Notice?.Invoke(message);

    /// <summary>Adds jobs as one batch (jobs with a key already in the batch are dropped: same key, same result).</summary>
    public JobBatch Enqueue(IEnumerable<Job> jobs)
    {
        string batch = Guid.NewGuid().ToString("N")[..16];
        var unique = new List<Job>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            if (string.IsNullOrEmpty(job.Kind) || string.IsNullOrEmpty(job.Key)) throw new ArgumentException("a job needs a kind and a key");
            if (seen.Add(job.Key)) unique.Add(job);
        }
        Add(batch, unique);
        return new JobBatch(batch, unique.Select(j => j.Key).ToList()) { Jobs = unique };
    }

    /// <summary>
    /// Marks the batch queued, then adds its jobs to the stream, 256 at a time (a chunk cut by a lost
    /// connection is sent again).
    /// </summary>
    void Add(string batch, IReadOnlyList<Job> jobs)
    {
        var db = Db;
        Retry.Run(() => db.StringSet(Options.BatchMarker(batch), "1", JobOptions.BatchLifetime));
        foreach (var chunk in jobs.Chunk(256))
            // GetResult, not Task.WaitAll: the Redis exception itself, not an AggregateException, reaches the retry
            Retry.Run(() => Task.WhenAll(chunk.Select(job => db.StreamAddAsync(Options.Stream, new NameValueEntry[]
            {
                new("batch", batch), new("kind", job.Kind), new("key", job.Key), new("input", job.Input),
            }))).GetAwaiter().GetResult());
    }

    /// <summary>Enqueues again the jobs of a batch that the server lost, except those whose result it holds.</summary>
    void Requeue(JobBatch batch)
    {
        var db = Db;
        var done = Retry.Run(() => db.HashKeys(Options.BatchResults(batch.Id)))
            .Select(k => (string)k!).ToHashSet(StringComparer.Ordinal);
        var again = batch.Jobs.Where(j => !done.Contains(j.Key)).ToList();
        EnsureGroup();
        Add(batch.Id, again);
        Notice?.Invoke($"{Server}: the server lost batch {batch.Id} (restarted without persistence?); " +
                       $"enqueued its {again.Count} unfinished job(s) again");
    }

    public JobProgress Progress(JobBatch batch)
    {
        var values = Retry.Run(() => Db.HashValues(Options.BatchResults(batch.Id)));
        int dead = values.Count(v => ((string?)v ?? "").StartsWith("dead", StringComparison.Ordinal));
        return new JobProgress(values.Length, dead, batch.Count);
    }

    /// <summary>Waits until every job of the batch is done or dead-lettered, reporting progress as results arrive.</summary>
    public JobBatchResult WaitAll(JobBatch batch, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        var db = Db;
        var key = Options.BatchResults(batch.Id);
        var marker = Options.BatchMarker(batch.Id);
        int last = -1;
        while (true)
        {
            // EXPIRE answers whether the marker exists, and keeps it alive while the client waits
            var (n, queued) = Retry.Run(() => (db.HashLength(key), db.KeyExpire(marker, JobOptions.BatchLifetime)), ct);
            if (!queued && n < batch.Count && batch.Jobs.Count > 0) Requeue(batch);
            if (n != last || n >= batch.Count)
            {
                last = (int)n;
                progress?.Report(Progress(batch));
                if (n >= batch.Count) break;
            }
            ct.WaitHandle.WaitOne(Options.PollTime);
            ct.ThrowIfCancellationRequested();
        }
        var done = new List<string>();
        var dead = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in Retry.Run(() => db.HashGetAll(key), ct))
        {
            string v = e.Value!;
            if (v.StartsWith("dead", StringComparison.Ordinal)) dead[e.Name!] = v.Length > 5 ? v[5..] : "";
            else done.Add(e.Name!);
        }
        Retry.Run(() => { db.KeyExpire(key, JobOptions.BatchLifetime); db.KeyDelete(marker); }, ct);
        return new JobBatchResult(done, dead);
    }

    /// <summary>Jobs that failed <see cref="JobOptions.MaxDeliveries"/> times, oldest first.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters(int max = 1000) =>
        Retry.Run(() => Db.StreamRange(Options.DeadLetters, count: max)).Select(e => new DeadLetter(e.Id!,
            new Job(e["kind"]!, e["key"]!, e["input"]!) { Batch = e["batch"]! }, e["error"]!, (long)e["deliveries"])).ToList();

    /// <summary>Jobs waiting or running: entries in the stream, and of those delivered but not yet finished.</summary>
    public (long Queued, long Running) Backlog()
    {
        EnsureGroup();
        long length = Retry.Run(() => Db.StreamLength(Options.Stream));
        var pending = Retry.Run(() => Db.StreamPending(Options.Stream, JobOptions.Group));
        return (length, pending.PendingMessageCount);
    }

    public void Dispose()
    {
        if (ownsConnection) Redis.Dispose();
    }
}

/// <summary>Redis URLs to StackExchange.Redis connections, with errors that name the URL.</summary>
public static class RedisUrl
{
    public static ConfigurationOptions Parse(string url)
    {
        ConfigurationOptions o;
        if (url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || string.IsNullOrEmpty(u.Host))
                throw new InvalidInputException($"{url}: not a Redis URL (redis://host:port)");
            o = new ConfigurationOptions();
            o.EndPoints.Add(u.Host, u.IsDefaultPort || u.Port <= 0 ? 6379 : u.Port);
            if (u.UserInfo.Length > 0)
            {
                var parts = Uri.UnescapeDataString(u.UserInfo).Split(':', 2);
                if (parts.Length == 2) { if (parts[0].Length > 0) o.User = parts[0]; o.Password = parts[1]; }
                else o.Password = parts[0];
            }
            string db = u.AbsolutePath.Trim('/');
            if (db.Length > 0)
            {
                if (!int.TryParse(db, out int n) || n < 0) throw new InvalidInputException($"{url}: database '{db}' is not a number");
                o.DefaultDatabase = n;
            }
            o.Ssl = url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase);
            o.ConnectTimeout = 5000;
            o.ConnectRetry = 2;
        }
        else
        {
            try { o = ConfigurationOptions.Parse(url); }
            catch (ArgumentException e) { throw new InvalidInputException($"{url}: not a Redis URL ({e.Message})", e); }
            if (o.EndPoints.Count == 0) throw new InvalidInputException($"{url}: not a Redis URL (redis://host:port)");
        }
        o.AbortOnConnectFail = true;
        return o;
    }

    /// <summary><paramref name="url"/> with its password (if any) replaced by <c>***</c>, for messages.</summary>
    public static string Redact(string url)
    {
        if (url.StartsWith("redis", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.UserInfo.Length > 0)
        {
            int colon = u.UserInfo.IndexOf(':');
            string user = colon >= 0 ? u.UserInfo[..colon] + ":***" : "***";
            return url.Replace(u.UserInfo + "@", user + "@", StringComparison.Ordinal);
        }
        return System.Text.RegularExpressions.Regex.Replace(url, "(?i)(password=)[^,]*", "$1***");
    }

    public static ConnectionMultiplexer Connect(string url)
    {
        var o = Parse(url);
        try { return ConnectionMultiplexer.Connect(o); }
        catch (RedisConnectionException e)
        {
            string why = e.Message.Split('\n')[0];
            int stop = why.IndexOf(". ", StringComparison.Ordinal);   // the first sentence; the rest is advice about abortConnect
            throw new InvalidInputException($"{Redact(url)}: cannot connect to Redis ({(stop > 0 ? why[..stop] : why)})", e);
        }
    }
}
