using Viml.Media;

namespace Viml.Encoders;

/// <summary>
/// A built-in frame encoder whose name, dimension and input size are known without loading it: the ONNX session
/// is created on the first <see cref="Embed"/>, so a query or an error that never needs frames never pays for it.
/// Not thread-safe on first use, like the encoders it wraps (one query at a time).
/// </summary>
public sealed class OnDemandFrameEncoder(string name, int dimension, int inputWidth, int inputHeight, Func<IFrameEncoder> create)
    : IFrameEncoder
{
    IFrameEncoder? _inner;
    public string Name => name;
    public int Dimension => dimension;
    public int InputWidth => inputWidth;
    public int InputHeight => inputHeight;
    public bool Loaded => _inner is not null;

    public float[][] Embed(IReadOnlyList<RgbFrame> frames) => (_inner ??= Check(create())).Embed(frames);

    IFrameEncoder Check(IFrameEncoder e)
    {
        if (e.Name != name || e.Dimension != dimension || e.InputWidth != inputWidth || e.InputHeight != inputHeight)
        {
            e.Dispose();
            throw new VimlException($"frame encoder {e.Name} is not the {name} ({dimension}-d, {inputWidth}x{inputHeight}) announced");
        }
        return e;
    }

    public void Dispose() => _inner?.Dispose();
}

/// <summary>A built-in text encoder loaded on its first <see cref="Embed"/> (see <see cref="OnDemandFrameEncoder"/>).</summary>
public sealed class OnDemandTextEncoder(string name, int dimension, Func<ITextEncoder> create) : ITextEncoder
{
    ITextEncoder? _inner;
    public string Name => name;
    public int Dimension => dimension;
    public bool Loaded => _inner is not null;

    public float[][] Embed(IReadOnlyList<string> texts) => (_inner ??= Check(create())).Embed(texts);

    ITextEncoder Check(ITextEncoder e)
    {
        if (e.Name != name || e.Dimension != dimension)
        {
            e.Dispose();
            throw new VimlException($"text encoder {e.Name} is not the {name} ({dimension}-d) announced");
        }
        return e;
    }

    public void Dispose() => _inner?.Dispose();
}
