using System.Diagnostics;
using Polly;
using Polly.Retry;
using StackExchange.Redis;

namespace Viml.Jobs;

/// <summary>
/// Runs Redis commands through a retry with exponential backoff and jitter (Polly): a command that failed
/// because the connection is lost or timed out is tried again while the multiplexer reconnects in the
/// background. After <c>giveUpAfter</c> of failures in a row (never when null) it throws
/// <see cref="RedisUnavailableException"/> naming the server. Server errors (a wrong type, NOGROUP) are not
/// retried: they are the caller's to handle.
/// </summary>
public sealed class RedisRetry
{
    static readonly ResiliencePropertyKey<Stopwatch> Failing = new("viml.redis.failing");
    readonly ResiliencePipeline pipeline;
    readonly string server;
    readonly TimeSpan? giveUpAfter;

    /// <param name="server">The server's name in messages (its URL, without a password).</param>
    /// <param name="giveUpAfter">How long to keep trying after the first failure; null: for ever.</param>
    /// <param name="lost">Called with a message when a command first fails and the retries begin.</param>
    public RedisRetry(string server, TimeSpan? giveUpAfter, Action<string>? lost = null)
    {
        this.server = server;
        this.giveUpAfter = giveUpAfter;
        pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(IsConnectionFailure(args.Outcome.Exception)
                && (giveUpAfter is not { } limit || Elapsed(args.Context) < limit)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(5),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = args =>
            {
                if (args.AttemptNumber == 0)
                    lost?.Invoke($"{server}: lost Redis ({FirstLine(args.Outcome.Exception)}); reconnecting");
                return default;
            },
        }).Build();
    }

    public static bool IsConnectionFailure(Exception? e) => e is RedisConnectionException or RedisTimeoutException;

    /// <summary>Runs <paramref name="command"/>, trying again while Redis is unreachable.</summary>
    public T Run<T>(Func<T> command, CancellationToken ct = default)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(Failing, Stopwatch.StartNew());
        try { return pipeline.Execute(_ => command(), context); }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            string waited = giveUpAfter is { } g ? $" for {g.TotalSeconds:0.#} s" : "";
            throw new RedisUnavailableException($"{server}: Redis did not answer{waited} ({FirstLine(e)})", e);
        }
        finally { ResilienceContextPool.Shared.Return(context); }
    }

    public void Run(Action command, CancellationToken ct = default) => Run(() => { command(); return 0; }, ct);

    static TimeSpan Elapsed(ResilienceContext context) =>
        context.Properties.TryGetValue(Failing, out var watch) ? watch.Elapsed : TimeSpan.Zero;

    static string FirstLine(Exception? e)
    {
        string why = (e?.Message ?? "").Split('\n')[0].Trim();
        int stop = why.IndexOf(". ", StringComparison.Ordinal);   // StackExchange.Redis adds advice after the first sentence
        return stop > 0 ? why[..stop] : why;
    }
}
