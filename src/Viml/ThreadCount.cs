namespace Viml;

/// <summary>
/// The one rule for a thread count a user gives (a training config's <c>threads</c>, <c>--threads</c>, an encoder's
/// threads): 0 means all cores, 1 to <see cref="Max"/> is accepted, anything else is refused. At most four threads
/// per core are ever started (<see cref="Resolve"/>), so a slip such as 100000 cannot start thousands of OS threads
/// and stall the machine, while a config written on a bigger machine still runs here.
/// </summary>
public static class ThreadCount
{
    /// <summary>Largest accepted value; it is then capped at four per core.</summary>
    public const int Max = 1024;

    /// <summary>What is wrong with <paramref name="threads"/>, or null when it is accepted.</summary>
    public static string? Problem(int threads) =>
        threads is < 0 or > Max ? $"must be between 0 (all cores) and {Max}, got {threads}" : null;

    /// <summary>The threads to start: all cores for 0, else <paramref name="threads"/> capped at four per core.</summary>
    /// <exception cref="ConfigException">Outside 0..<see cref="Max"/>; <paramref name="name"/> names the setting.</exception>
    public static int Resolve(int threads, string name = "threads")
    {
        if (Problem(threads) is { } p) throw new ConfigException($"{name}: {p}");
        int cores = Environment.ProcessorCount;
        return threads == 0 ? cores : Math.Min(threads, 4 * cores);
    }
}
