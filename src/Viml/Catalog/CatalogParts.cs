using Viml.Encoders;
using Viml.Media;

namespace Viml.Catalog;

/// <summary>The real parts: ffmpeg decoding (<see cref="AudioDecoder"/>, <see cref="FrameDecoder"/>), the 10-s
/// <see cref="Segmenter"/>, musicnn for music, ResNet18 for frames, MiniLM for text, and a trained checkpoint.</summary>
public static class CatalogParts
{
    public static IngestParts Ingest(ICatalogModel model, IMusicEncoder music) => new(
        (path, sr, ct) => AudioDecoder.DecodeMono(path, sr, ct: ct),
        (start, end, path) => Segmenter.Split(start, end, path: path).Select(s => (s.Start, s.End)).ToList(),
        music, model);

    public static QueryParts Query(ICatalogModel model, IFrameEncoder frames, ITextEncoder text, double fps = 6)
    {
        MediaInfo? probed = null;   // the probe of the query being answered, reused by its frame decodes
        return new QueryParts(
            (path, ct) =>
            {
                var info = MediaProbe.Probe(path, ct);
                if (info.Video is null) throw new MediaException(path, "has no video stream");
                probed = info;
                return info.Duration;
            },
            (path, f, w, h, start, end, ct) => probed is { } i && i.Path == path
                ? FrameDecoder.Decode(i, f, w, h, start, end, ct)
                : FrameDecoder.Decode(path, f, w, h, start, end, ct),
            (start, end, path) => Segmenter.Split(start, end, path: path).Select(s => (s.Start, s.End)).ToList(),
            frames, text, model, fps);
    }
}
