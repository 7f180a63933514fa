namespace Viml.Jobs;

/// <summary>
/// The Redis server of a job queue stayed unreachable for longer than the client waits for it
/// (<see cref="JobOptions.GiveUpTime"/>); the message names the server. Exit code 2, as for a server
/// that cannot be reached at the start.
/// </summary>
public sealed class RedisUnavailableException : InvalidInputException
{
    public RedisUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
