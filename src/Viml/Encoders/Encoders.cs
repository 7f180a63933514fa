using Viml.Media;

namespace Viml.Encoders;

/// <summary>A frozen image encoder (the method's video base encoder, applied per frame).</summary>
public interface IFrameEncoder : IDisposable
{
    string Name { get; }
    int Dimension { get; }
    /// <summary>Frame size the encoder wants; the decoder scales to it so no resize happens here.</summary>
    int InputWidth { get; }
    int InputHeight { get; }
    /// <summary>One embedding per frame, in order.</summary>
    float[][] Embed(IReadOnlyList<RgbFrame> frames);
}

/// <summary>A frozen sentence encoder (the method's text base encoder). The empty string must embed too.</summary>
public interface ITextEncoder : IDisposable
{
    string Name { get; }
    int Dimension { get; }
    float[][] Embed(IReadOnlyList<string> texts);
}

/// <summary>Music base feature and tag confidences of one audio segment.</summary>
public sealed record MusicSegmentFeatures(float[] Embedding, float[] Tags);

/// <summary>A frozen music encoder + tagger (the method's music base encoder).</summary>
public interface IMusicEncoder : IDisposable
{
    string Name { get; }
    int Dimension { get; }
    /// <summary>Sample rate of the mono PCM <see cref="Embed"/> expects.</summary>
    int SampleRate { get; }
    /// <summary>Tag vocabulary, in the order of <see cref="MusicSegmentFeatures.Tags"/>.</summary>
    IReadOnlyList<TagInfo> Tags { get; }
    /// <summary>One result per segment of mono PCM at <see cref="SampleRate"/>.</summary>
    MusicSegmentFeatures[] Embed(IReadOnlyList<float[]> segments);
}
