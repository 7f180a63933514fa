using System.Runtime.InteropServices;

namespace Viml.Bench;

/// <summary>
/// CPU seconds (user + system) from getrusage(2): of the calling thread, or of all finished child processes.
/// Speeds "per core" are measured in CPU time so that other work on a busy machine does not count against
/// either side of a comparison.
/// </summary>
static class CpuTime
{
    const int Children = -1, Self = 0, Thread = 1;

    [StructLayout(LayoutKind.Sequential)]
    struct TimeVal { public long Seconds, Microseconds; }

    [StructLayout(LayoutKind.Sequential)]
    struct RUsage
    {
        public TimeVal User, System;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int getrusage(int who, out RUsage usage);

    public static double OfThisThread() => Read(Thread);

    public static double OfChildren() => Read(Children);

    /// <summary>All threads of this process.</summary>
    public static double OfProcess() => Read(Self);

    static double Read(int who)
    {
        if (getrusage(who, out var u) != 0) throw new InvalidOperationException($"getrusage failed ({Marshal.GetLastWin32Error()})");
        return u.User.Seconds + u.User.Microseconds / 1e6 + u.System.Seconds + u.System.Microseconds / 1e6;
    }
}
