
namespace Viml.Media;

/// <summary>
/// Decodes a file's video stream to RGB24 frames at a chosen rate and size, streamed from an ffmpeg pipe
/// (<c>-vf fps=F,scale,crop -pix_fmt rgb24 -f rawvideo pipe:1</c>), one frame in memory at a time.
/// Frames are scaled to cover <c>width x height</c> keeping their aspect ratio, then centre-cropped
/// (the usual image-encoder preprocessing): nothing is stretched.
/// Frame <c>i</c> shows the picture at <c>start + i / fps</c> seconds.
/// </summary>
public static class FrameDecoder
{
    public static IEnumerable<RgbFrame> Decode(string path, double fps, int width, int height, double? start = null, double? end = null, CancellationToken ct = default) =>
        Decode(MediaProbe.Probe(path, ct), fps, width, height, start, end, ct);

    /// <summary>As above, for a file already probed. Arguments and the file's limits are checked now, before any decoding.</summary>
    public static IEnumerable<RgbFrame> Decode(MediaInfo info, double fps, int width, int height, double? start = null, double? end = null, CancellationToken ct = default)
    {
        if (!(fps > 0) || fps > 240) throw new ArgumentOutOfRangeException(nameof(fps), fps, "must be in (0, 240]");
        if (width is < 1 or > MediaLimits.MaxOutputSide) throw new ArgumentOutOfRangeException(nameof(width), width, $"must be 1..{MediaLimits.MaxOutputSide}");
        if (height is < 1 or > MediaLimits.MaxOutputSide) throw new ArgumentOutOfRangeException(nameof(height), height, $"must be 1..{MediaLimits.MaxOutputSide}");
        if (info.Video is null) throw new MediaException(info.Path, "no video stream");
        MediaLimits.CheckFrameSize(info.Path, info.Video.Width, info.Video.Height);
        var (s, e) = TimeRange.Resolve(info, start, end);
        return Stream(info, fps, width, height, s, e, ct);
    }

    /// <summary>How many frames a range of <paramref name="seconds"/> gives at <paramref name="fps"/> (the fps filter rounds to the nearest).</summary>
    public static int ExpectedFrames(double seconds, double fps) => Math.Max(1, (int)Math.Round(seconds * fps));

    static IEnumerable<RgbFrame> Stream(MediaInfo info, double fps, int width, int height, double s, double e, CancellationToken ct)
    {
        string full = Path.GetFullPath(info.Path);
        string vf = $"fps={TimeRange.F(fps)},scale={width}:{height}:force_original_aspect_ratio=increase:flags=bilinear,crop={width}:{height},setsar=1";
        string[] args =
        [
            "-nostdin", "-hide_banner", "-v", "error", .. TimeRange.Seek(s), "-i", "file:" + full, .. TimeRange.Length(s, e),
            "-map", $"0:{info.Video!.StreamIndex}", "-an", "-sn", "-dn", "-vf", vf, "-pix_fmt", "rgb24", "-f", "rawvideo", "pipe:1",
        ];
        int frameBytes = width * height * 3;
        int count = 0;
        using var run = MediaProcess.Start(MediaProcess.Ffmpeg, args, full, MediaLimits.DecodeIdleTimeout, ct);
        while (true)
        {
            var pixels = new byte[frameBytes];
            int n = run.ReadFull(pixels);
            if (n < frameBytes)
            {
                int exit = run.WaitForExit();
                if (exit != 0) throw new MediaException(info.Path, "truncated or corrupt: " + run.LastErrors($"ffmpeg exited with code {exit}"));
                if (n > 0) throw new MediaException(info.Path, "truncated or corrupt: the last frame is incomplete");
                break;
            }
            count++;
            yield return new RgbFrame(width, height, pixels);
        }
        int expected = ExpectedFrames(e - s, fps);
        if (run.Errors.Count > 0 && count < expected - Math.Max(fps * 0.5, 0.05 * expected))
            throw new MediaException(info.Path, $"truncated or corrupt: video ends at {s + count / fps:0.##} s of {e:0.##} s ({run.LastErrors("")})");
    }
}
