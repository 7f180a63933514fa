using System.Runtime.InteropServices;

namespace Viml.Media;

/// <summary>Decodes a file's first audio stream to mono float PCM at a chosen rate: <c>ffmpeg … -ac 1 -ar R -f f32le pipe:1</c>.</summary>
public static class AudioDecoder
{
    /// <summary>Mono samples in [-1, 1] at <paramref name="sampleRate"/>, from <paramref name="start"/> to <paramref name="end"/> seconds (default: all).</summary>
    public static float[] DecodeMono(string path, int sampleRate, double? start = null, double? end = null, CancellationToken ct = default) =>
        DecodeMono(MediaProbe.Probe(path, ct), sampleRate, start, end, ct);

    /// <summary>As above, for a file already probed.</summary>
    public static float[] DecodeMono(MediaInfo info, int sampleRate, double? start = null, double? end = null, CancellationToken ct = default)
    {
        if (sampleRate is < 1000 or > 384_000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "must be 1000..384000 Hz");
        if (info.Audio is null) throw new MediaException(info.Path, "no audio stream");
        var (s, e) = TimeRange.Resolve(info, start, end);
        string full = Path.GetFullPath(info.Path);
        string[] args =
        [
            "-nostdin", "-hide_banner", "-v", "error", .. TimeRange.Seek(s), "-i", "file:" + full, .. TimeRange.Length(s, e),
            "-map", $"0:{info.Audio.StreamIndex}", "-vn", "-sn", "-dn", "-ac", "1", "-ar", sampleRate.ToString(), "-f", "f32le", "pipe:1",
        ];
        using var run = MediaProcess.Start(MediaProcess.Ffmpeg, args, full, MediaLimits.DecodeIdleTimeout, ct);

        long expected = (long)Math.Round((e - s) * sampleRate);
        var bytes = new byte[checked((int)Math.Min(int.MaxValue - 64, (expected + sampleRate / 10 + 16) * 4))];
        int length = 0;
        while (true)
        {
            if (length == bytes.Length) Array.Resize(ref bytes, (int)Math.Min(int.MaxValue - 64, bytes.Length * 2L));
            int n = run.ReadFull(bytes.AsSpan(length));
            if (n == 0) break;
            length += n;
        }
        int exit = run.WaitForExit();
        if (exit != 0) throw new MediaException(info.Path, "truncated or corrupt: " + run.LastErrors($"ffmpeg exited with code {exit}"));
        long got = length / 4;
        if (run.Errors.Count > 0 && got < expected - Math.Max(0.5 * sampleRate, 0.02 * expected))
            throw new MediaException(info.Path, $"truncated or corrupt: audio ends at {s + (double)got / sampleRate:0.##} s of {e:0.##} s ({run.LastErrors("")})");
        return MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, length - length % 4)).ToArray();
    }
}
