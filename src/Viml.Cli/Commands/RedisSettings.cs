using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
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
