using System.Globalization;

namespace Viml.Media;

/// <summary>Checks a requested [start, end) against a file's duration and turns it into ffmpeg's -ss / -t.</summary>
static class TimeRange
{
    /// <summary>How far past the media's end a requested end may point before it is an error (container rounding).</summary>
    const double Slack = 0.5;

    public static (double Start, double End) Resolve(MediaInfo info, double? start, double? end)
    {
        double s = start ?? 0, e = end ?? info.Duration;
        if (!double.IsFinite(s) || s < 0) throw new MediaException(info.Path, $"start {s} s is not a time in the file");
        if (s >= info.Duration) throw new MediaException(info.Path, $"start {s:0.###} s is past the end of the media ({info.Duration:0.###} s)");
        if (!double.IsFinite(e) || e <= s) throw new MediaException(info.Path, $"end {e:0.###} s is not after start {s:0.###} s");
        if (e > info.Duration + Slack) throw new MediaException(info.Path, $"end {e:0.###} s is past the end of the media ({info.Duration:0.###} s)");
        return (s, Math.Min(e, info.Duration));
    }

    /// <summary>Input options (before -i): seek to the start; ffmpeg seeks accurately when decoding.</summary>
    public static IEnumerable<string> Seek(double start) => start > 0 ? ["-ss", F(start)] : [];

    /// <summary>Output options (after -i): stop after the range's length.</summary>
    public static IEnumerable<string> Length(double start, double end) => ["-t", F(end - start)];

    public static string F(double x) => x.ToString("0.######", CultureInfo.InvariantCulture);
}
