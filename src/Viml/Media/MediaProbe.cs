using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Viml.Media;

/// <summary>Reads a media file's duration and streams with <c>ffprobe -print_format json</c>.</summary>
public static class MediaProbe
{
    /// <summary>
    /// Probes <paramref name="path"/>. Throws <see cref="MediaException"/> naming the file when it does not exist,
    /// cannot be read, is empty, is not media ffprobe understands (truncated or corrupt), has neither audio nor
    /// video, or has a video frame size outside <see cref="MediaLimits"/>.
    /// </summary>
    public static MediaInfo Probe(string path, CancellationToken ct = default)
    {
        CheckFile(path);
        string full = System.IO.Path.GetFullPath(path);
        using var run = MediaProcess.Start(MediaProcess.Ffprobe,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-i", "file:" + full],
            full, MediaLimits.ProbeTimeout, ct);
        var output = new MemoryStream();
        var buffer = new byte[1 << 14];
        for (int n; (n = run.ReadFull(buffer)) > 0;) output.Write(buffer, 0, n);
        int exit = run.WaitForExit();
        if (exit != 0) throw new MediaException(path, "truncated or corrupt: " + run.LastErrors($"ffprobe exited with code {exit}"));
        return Parse(path, Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length));
    }

    /// <summary>The checks that need no ffprobe: exists, is a file, can be opened, is not empty.</summary>
    internal static void CheckFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException("a media path is empty");
        if (IO.InputFile.Problem(path) is { } problem) throw new MediaException(path, problem);
        if (Directory.Exists(path)) throw new MediaException(path, "is a folder, not a media file");
        if (!File.Exists(path)) throw new MediaException(path, "does not exist");
        long length;
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            length = f.Length;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new MediaException(path, $"unreadable ({e.Message})", e);
        }
        if (length == 0) throw new MediaException(path, "empty file (0 bytes)");
    }

    internal static MediaInfo Parse(string path, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            VideoStreamInfo? video = null;
            AudioStreamInfo? audio = null;
            double streamDuration = double.NaN;
            if (root.TryGetProperty("streams", out var streams))
                foreach (var s in streams.EnumerateArray())
                {
                    string type = Str(s, "codec_type") ?? "";
                    int index = s.TryGetProperty("index", out var ix) ? ix.GetInt32() : 0;
                    bool cover = s.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var ap) && ap.GetInt32() == 1;
                    if (type == "video" && !cover && video is null)
                    {
                        int w = Int(s, "width"), h = Int(s, "height");
                        double fps = Rate(Str(s, "avg_frame_rate"));
                        if (!(fps > 0)) fps = Rate(Str(s, "r_frame_rate"));
                        video = new VideoStreamInfo(w, h, double.IsFinite(fps) ? fps : 0, Str(s, "codec_name") ?? "unknown") { StreamIndex = index };
                        streamDuration = Max(streamDuration, Num(Str(s, "duration")));
                    }
                    else if (type == "audio" && audio is null)
                    {
                        audio = new AudioStreamInfo(Int(Str(s, "sample_rate")), Int(s, "channels"), Str(s, "codec_name") ?? "unknown") { StreamIndex = index };
                        streamDuration = Max(streamDuration, Num(Str(s, "duration")));
                    }
                }
            double duration = root.TryGetProperty("format", out var format) ? Num(Str(format, "duration")) : double.NaN;
            if (!(duration > 0)) duration = streamDuration;
            if (video is null && audio is null) throw new MediaException(path, "no audio or video stream");
            if (video is not null) MediaLimits.CheckFrameSize(path, video.Width, video.Height);
            if (!(duration > 0) || !double.IsFinite(duration)) throw new MediaException(path, "truncated or corrupt: the duration is unknown");
            if (audio is not null && audio.SampleRate <= 0) throw new MediaException(path, "truncated or corrupt: the audio stream has no sample rate");
            return new MediaInfo(path, duration, video, audio);
        }
        catch (JsonException e) { throw new MediaException(path, $"truncated or corrupt: ffprobe's report is unreadable ({e.Message})", e); }
    }

    static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.ToString()) : null;
    static int Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.TryGetInt32(out int i) ? i : 0;
    static int Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : 0;
    static double Num(string? s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : double.NaN;
    static double Max(double a, double b) => double.IsNaN(a) ? b : double.IsNaN(b) ? a : Math.Max(a, b);

    /// <summary>"30000/1001" -> 29.97; "0/0" -> NaN.</summary>
    static double Rate(string? s)
    {
        if (s is null) return double.NaN;
        int slash = s.IndexOf('/');
        if (slash < 0) return Num(s);
        double n = Num(s[..slash]), d = Num(s[(slash + 1)..]);
        return d > 0 ? n / d : double.NaN;
    }
}
