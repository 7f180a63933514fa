using System.Runtime.InteropServices;

namespace Viml.Diagnostics;

/// <summary>CPU time (user + system) from getrusage(2): of this process, of its waited-for children, or of the
/// calling thread; null where the call is not available (not Linux, or it failed).</summary>
public static partial class ResourceUsage
{
    public const int Self = 0, Children = -1, Thread = 1;

    public static TimeSpan? CpuTime(int who)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try { return Usage(who); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }

    /// <summary>struct rusage on 64-bit Linux: ru_utime and ru_stime (timeval: seconds, microseconds), then 14 longs.</summary>
    static TimeSpan? Usage(int who)
    {
        var r = new long[18];
        if (GetRusage(who, r) != 0) return null;
        return TimeSpan.FromSeconds(r[0] + r[2]) + TimeSpan.FromMicroseconds(r[1] + r[3]);
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, [Out] long[] usage);
}
