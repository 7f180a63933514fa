using Viml.Media;

namespace Viml.Catalog;

/// <summary>The real video source: ffprobe, then ffmpeg through <see cref="FrameDecoder"/>. The probe of the video
/// last measured is reused by its frame decodes (a query probes once and decodes one or more spans).</summary>
public sealed class FfmpegVideo : IVideoSource
{
    volatile MediaInfo? _probed;

    public double Duration(string path, CancellationToken ct)
    {
        var info = MediaProbe.Probe(path, ct);
        if (info.Video is null) throw new MediaException(path, "has no video stream");
        _probed = info;
        return info.Duration;
    }

    public IEnumerable<RgbFrame> Frames(string path, double fps, int width, int height, double start, double until,
        CancellationToken ct) =>
        _probed is { } i && i.Path == path
            ? FrameDecoder.Decode(i, fps, width, height, start, until, ct)
            : FrameDecoder.Decode(path, fps, width, height, start, until, ct);
}
