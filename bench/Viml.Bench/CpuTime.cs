using Viml.Diagnostics;

namespace Viml.Bench;

/// <summary>
/// CPU seconds (user + system) from getrusage(2) (<see cref="ResourceUsage"/>): of the calling thread, of this
/// process, or of all finished child processes. Speeds "per core" are measured in CPU time so that other work on a
/// busy machine does not count against either side of a comparison.
/// </summary>
static class CpuTime
{
    public static double OfThisThread() => Read(ResourceUsage.Thread);

    public static double OfChildren() => Read(ResourceUsage.Children);

    /// <summary>All threads of this process.</summary>
    public static double OfProcess() => Read(ResourceUsage.Self);

    static double Read(int who) =>
        ResourceUsage.CpuTime(who)?.TotalSeconds ?? throw new InvalidOperationException($"getrusage({who}) failed");
}
