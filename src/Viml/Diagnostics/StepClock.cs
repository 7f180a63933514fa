using System.Diagnostics;

namespace Viml.Diagnostics;

/// <summary>
/// Wall and CPU time of one step of a command, the CPU time counting this process and every child process it has
/// waited for (the verbs a command runs, and their ffmpeg and fluidsynth), so that a step's cost can be read on a
/// machine shared with other work, where wall time says little. CPU time is unknown (null) where getrusage is not.
/// </summary>
public sealed class StepClock
{
    readonly Stopwatch wall = Stopwatch.StartNew();
    readonly TimeSpan? cpu0 = Cpu();

    public TimeSpan Wall => wall.Elapsed;

    public TimeSpan? CpuTime => Cpu() - cpu0;

    /// <summary>"1:23 wall, 2:45 CPU" (minutes and seconds; under a minute "4.2 s").</summary>
    public override string ToString() =>
        CpuTime is { } c ? $"{Format(Wall)} wall, {Format(c)} CPU" : $"{Format(Wall)} wall";

    static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t:mm\\:ss}"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}:{t:ss}"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");

    /// <summary>User + system time of this process and its waited-for children.</summary>
    static TimeSpan? Cpu() =>
        ResourceUsage.CpuTime(ResourceUsage.Self) is { } self && ResourceUsage.CpuTime(ResourceUsage.Children) is { } children
            ? self + children : null;
}
