using Viml.Encoders;
using Viml.Features;

namespace Viml.Catalog;

/// <summary>The real parts: ffmpeg decoding (<see cref="FfmpegAudio"/>, <see cref="FfmpegVideo"/>), musicnn for music,
/// ResNet18 for frames, MiniLM for text, and a trained checkpoint.</summary>
public static class CatalogParts
{
    public static IngestParts Ingest(ICatalogModel model, IMusicEncoder music) => new(new FfmpegAudio(), music, model);

    public static QueryParts Query(ICatalogModel model, IFrameEncoder frames, ITextEncoder text,
        double fps = FeatureSpec.PaperFps) =>
        new(new FfmpegVideo(), frames, text, model, fps);
}
