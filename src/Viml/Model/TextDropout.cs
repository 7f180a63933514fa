using TorchSharp;
using TorchSharp.Modules;
using Viml.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Viml.Model;

/// <summary>
/// Text dropout (Sec. 3.2): while training, each sample's text base feature x^t is replaced, with
/// probability p, by x^null, the text encoder's embedding of the empty string (or a zero vector).
/// x^null is kept as the buffer <c>text_dropout.text_null</c> so a checkpoint can answer a
/// video-only query without the text encoder. In eval mode the input passes unchanged.
/// </summary>
public sealed class TextDropout : Module<Tensor, Tensor>
{
    readonly double p;
    readonly Tensor text_null;

    public TextDropout(string name, ModelConfig c) : base(name)
    {
        p = c.TextDropout;
        text_null = zeros(c.TextDimension);
        register_buffer("text_null", text_null);
    }

    /// <summary>x^null: [D_t].</summary>
    public Tensor Null => text_null;

    /// <summary>Sets x^null (the empty-string embedding); ignored by the zero-vector option's caller.</summary>
    public void SetNull(float[] value)
    {
        if (value.Length != text_null.shape[0]) throw new ArgumentException($"empty-string embedding has {value.Length} values, the model expects {text_null.shape[0]}");
        using var _ = no_grad();
        using var source = tensor(value);
        text_null.copy_(source);
    }

    /// <param name="text">[B, D_t]</param>
    public override Tensor forward(Tensor text)
    {
        if (!training || p <= 0) return text;
        var drop = rand(text.shape[0], device: text.device).Below(p).unsqueeze(1);
        return where(drop, text_null.to(text.device).expand_as(text), text);
    }
}

