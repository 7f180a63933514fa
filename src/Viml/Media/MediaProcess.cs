using System.ComponentModel;
using System.Diagnostics;

namespace Viml.Media;

/// <summary>
/// One run of <c>ffmpeg</c> or <c>ffprobe</c>: arguments passed as a list (no shell), stdout read as a stream,
/// the last stderr lines kept for the error message, and the process killed when it stalls, when the
/// caller cancels, or when the run is disposed early.
/// </summary>
sealed class MediaProcess : IDisposable
{
    /// <summary>Programs to run; <c>VIML_FFMPEG</c> / <c>VIML_FFPROBE</c> override the ones on PATH.</summary>
    public static string Ffmpeg => Environment.GetEnvironmentVariable("VIML_FFMPEG") is { Length: > 0 } p ? p : "ffmpeg";
    public static string Ffprobe => Environment.GetEnvironmentVariable("VIML_FFPROBE") is { Length: > 0 } p ? p : "ffprobe";

    readonly Process _process;
    readonly string _mediaPath;
    readonly Queue<string> _stderr = new();
    readonly Timer _watchdog;
    readonly CancellationTokenRegistration _cancel;
    readonly TimeSpan _idle;
    long _waitingSince = -1; // when the current read began, -1 while not reading: only time spent waiting on the program counts
    volatile bool _stalled;
    bool _disposed;
    static int _live;

    /// <summary>Programs started and not yet reaped (for tests: an abandoned decode must not leave ffmpeg running).</summary>
    internal static int Live => Volatile.Read(ref _live);

    public Stream Stdout => _process.StandardOutput.BaseStream;
    public CancellationToken Cancellation { get; }

    MediaProcess(string program, IEnumerable<string> args, string mediaPath, TimeSpan idle, CancellationToken ct)
    {
        _mediaPath = mediaPath;
        _idle = idle;
        Cancellation = ct;
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = false,
            UseShellExecute = false, CreateNoWindow = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        _process = new Process { StartInfo = psi };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (string.IsNullOrWhiteSpace(e.Data)) return;
            lock (_stderr) { _stderr.Enqueue(e.Data.Trim()); if (_stderr.Count > 20) _stderr.Dequeue(); }
        };
        try { _process.Start(); }
        catch (Win32Exception e)
        {
            throw new VimlException($"cannot run {program} ({e.Message}); install ffmpeg (Debian: apt-get install ffmpeg) or set VIML_FFMPEG / VIML_FFPROBE", e);
        }
        Interlocked.Increment(ref _live);
        _process.BeginErrorReadLine();
        _watchdog = new Timer(_ => Watch(), null, 500, 500);
        _cancel = ct.Register(Kill);
    }

    /// <summary>Starts <paramref name="program"/>; it is killed when a read of its stdout waits longer than <paramref name="idle"/>.</summary>
    public static MediaProcess Start(string program, IEnumerable<string> args, string mediaPath, TimeSpan idle, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return new MediaProcess(program, args, mediaPath, idle, ct);
    }

    void Watch()
    {
        long since = Interlocked.Read(ref _waitingSince);
        if (since >= 0 && Environment.TickCount64 - since > _idle.TotalMilliseconds) { _stalled = true; Kill(); }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or stdout ends; returns the bytes read.</summary>
    public int ReadFull(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            Interlocked.Exchange(ref _waitingSince, Environment.TickCount64);
            int n;
            try { n = Stdout.Read(buffer[total..]); }
            finally { Interlocked.Exchange(ref _waitingSince, -1); }
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Waits for the exit after stdout has ended; throws when cancelled or stalled, else returns the exit code.</summary>
    public int WaitForExit()
    {
        if (!_process.WaitForExit((int)Math.Min(int.MaxValue, _idle.TotalMilliseconds))) { _stalled = true; Kill(); }
        _process.WaitForExit(); // drains the stderr reader
        Cancellation.ThrowIfCancellationRequested();
        if (_stalled) throw new MediaException(_mediaPath, $"{Path.GetFileName(_process.StartInfo.FileName)} stalled (no output for {_idle.TotalSeconds:0} s) and was stopped");
        return _process.ExitCode;
    }

    /// <summary>The stderr lines ffmpeg printed at <c>-v error</c>, without its "[demuxer @ 0x…]" and file-name prefixes.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_stderr) return _stderr.Select(Clean).Where(l => l.Length > 0).ToList(); }
    }

    /// <summary>The last (up to two distinct) error lines, for "truncated or corrupt: …" messages.</summary>
    public string LastErrors(string fallback)
    {
        var lines = Errors.Reverse().Distinct().Take(2).Reverse().ToList();
        return lines.Count == 0 ? fallback : string.Join("; ", lines);
    }

    string Clean(string line)
    {
        // "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55b9964081c0] moov atom not found" -> "moov atom not found"
        while (line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is > 0 and var close) line = line[(close + 2)..];
        foreach (var prefix in new[] { "file:" + _mediaPath + ": ", _mediaPath + ": " })
            if (line.StartsWith(prefix, StringComparison.Ordinal)) line = line[prefix.Length..];
        return line.Trim();
    }

    void Kill()
    {
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
        catch (Win32Exception) { /* already gone */ }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _watchdog.Dispose();
        _cancel.Dispose();
        Kill();
        try { _process.WaitForExit(); } catch (InvalidOperationException) { }
        _process.Dispose();
        Interlocked.Decrement(ref _live);
    }
}
