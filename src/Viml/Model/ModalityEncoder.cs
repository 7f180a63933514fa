using TorchSharp;
using TorchSharp.Modules;
using Viml.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Viml.Model;

/// <summary>
/// f(x): one modality's encoder. The base features x [B, S, D_in] (one row per segment) are
/// projected to d, given sinusoidal segment positions, passed through a Transformer encoder over
/// the segment sequence (padding masked out), and pooled to y [B, d]:
/// <code>
///   h = W x + b + PE          (linear projection to d, segment position)
///   h = Transformer(h, pad)   (Layers layers, padding segments never attended to)
///   y = mean of h over real segments            (Pooling.Mean, default)
///     | h at a learned [CLS] token put first    (Pooling.Cls)
/// </code>
/// Text is a sequence of length 1. Parameter names follow PyTorch's nn.TransformerEncoder
/// (<c>encoder.layers.0.self_attn.in_proj_weight</c>, ...), so the weights load into the same
/// module in Python.
/// </summary>
public sealed class ModalityEncoder : Module<Tensor, Tensor?, Tensor>
{
    readonly Linear proj;
    readonly TransformerEncoder encoder;
    readonly Parameter? cls;
    readonly Pooling pooling;
    readonly int d;

    public ModalityEncoder(string name, int inputDimension, ModelConfig c) : base(name)
    {
        d = c.Dimension;
        pooling = c.Pooling;
        proj = Linear(inputDimension, d);
        encoder = TransformerEncoder(TransformerEncoderLayer(d, c.Heads, c.FeedForward, c.Dropout), c.Layers);
        if (pooling == Pooling.Cls) cls = Parameter(randn(d).Mul(0.02));
        RegisterComponents();
    }

    /// <param name="x">[B, S, D_in] base features.</param>
    /// <param name="padding">[B, S] bool, true at padding segments; null when every sequence is full.</param>
    /// <returns>[B, d]</returns>
    public override Tensor forward(Tensor x, Tensor? padding)
    {
        long b = x.shape[0], s = x.shape[1];
        var h = proj.forward(x).Plus(SegmentPositions(s, d, x.device));
        if (cls is not null)
        {
            h = cat(new[] { cls.expand(b, 1, d), h }, 1);
            if (padding is not null) padding = cat(new[] { zeros(b, 1, ScalarType.Bool, x.device), padding }, 1);
        }
        // PyTorch's layout for nn.TransformerEncoder: [S, B, d].
        var y = encoder.forward(h.transpose(0, 1), null, padding).transpose(0, 1);
        if (cls is not null) return y.select(1, 0);
        if (padding is null) return y.mean(new long[] { 1 });
        var real = padding.logical_not().unsqueeze(-1).to_type(y.dtype);
        return (y * real).sum(1) / real.sum(1).ClampMin(1);
    }

    /// <summary>PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(...): [S, d].</summary>
    public static Tensor SegmentPositions(long segments, int d, Device device)
    {
        var pos = OwnedScalars.Range(0, segments, 1, float32, device).unsqueeze(1);
        var freq = exp(OwnedScalars.Range(0, d, 2, float32, device).Mul(-Math.Log(10000.0) / d));
        var angle = pos * freq;
        return stack(new[] { sin(angle), cos(angle) }, 2).reshape(segments, -1)[.., ..d];
    }
}
