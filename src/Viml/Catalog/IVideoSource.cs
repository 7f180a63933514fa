using Viml.Media;

namespace Viml.Catalog;

/// <summary>Where a query gets a video's length and its frames.</summary>
public interface IVideoSource
{
    /// <summary>The video's length in seconds; a file without a video stream is an error naming it.</summary>
    double Duration(string path, CancellationToken ct);

    /// <summary>Frames of <c>[start, until)</c> at <paramref name="fps"/>, scaled and cropped to
    /// <paramref name="width"/> x <paramref name="height"/>; frame <c>i</c> shows the picture at
    /// <c>start + i / fps</c>.</summary>
    IEnumerable<RgbFrame> Frames(string path, double fps, int width, int height, double start, double until,
        CancellationToken ct);
}
