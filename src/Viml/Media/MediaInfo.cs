namespace Viml.Media;

/// <summary>What <see cref="MediaProbe"/> found in a media file. <paramref name="Duration"/> is the container's, in seconds.</summary>
public sealed record MediaInfo(string Path, double Duration, VideoStreamInfo? Video, AudioStreamInfo? Audio);

/// <summary>The first video stream that is not cover art.</summary>
public sealed record VideoStreamInfo(int Width, int Height, double Fps, string Codec)
{
    /// <summary>Index of the stream in the file (what ffmpeg's <c>-map 0:N</c> names).</summary>
    public int StreamIndex { get; init; }
}

/// <summary>The first audio stream.</summary>
public sealed record AudioStreamInfo(int SampleRate, int Channels, string Codec)
{
    public int StreamIndex { get; init; }
}

/// <summary>
/// What Viml agrees to decode. Frames outside these sizes are refused at probe time, before any decoding,
/// so a hostile or broken file cannot make the decoder allocate gigabytes.
/// </summary>
public static class MediaLimits
{
    /// <summary>Smallest frame side a video may have: below it a frame carries no picture worth encoding.</summary>
    public const int MinFrameSide = 16;
    /// <summary>Largest frame side (8K DCI is 8192 wide).</summary>
    public const int MaxFrameSide = 8192;
    /// <summary>Largest frame area: 8K UHD, 7680 x 4320 = 33.2 megapixels.</summary>
    public const long MaxFramePixels = 7680L * 4320;
    /// <summary>Largest size a decoder may be asked to scale frames to.</summary>
    public const int MaxOutputSide = 4096;
    /// <summary>Shortest item that still gives a segment (see <see cref="Segmenter"/>).</summary>
    public const double MinSeconds = 1.0;
    /// <summary>How long ffprobe may take on one file (raise it for slow network storage).</summary>
    public static TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a decoder may wait for ffmpeg's next bytes before it is declared stalled and stopped
    /// (there is no limit on a decode's total time: long files take long).</summary>
    public static TimeSpan DecodeIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="MediaException"/> when the video's frame size is outside the limits above.</summary>
    public static void CheckFrameSize(string path, int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new MediaException(path, $"truncated or corrupt: the video stream has no frame size ({width}x{height})");
        if (width < MinFrameSide || height < MinFrameSide)
            throw new MediaException(path, $"frame size {width}x{height} is below the minimum {MinFrameSide}x{MinFrameSide}");
        if (width > MaxFrameSide || height > MaxFrameSide || (long)width * height > MaxFramePixels)
            throw new MediaException(path, $"frame size {width}x{height} exceeds the limit of {MaxFrameSide} pixels a side and {MaxFramePixels / 1e6:0.0} megapixels (7680x4320)");
    }
}
