using TorchSharp;
using TorchSharp.Modules;
using Viml.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Viml.Model;

/// <summary>
/// A pre-norm Transformer encoder layer (PyTorch's <c>nn.TransformerEncoderLayer(norm_first=True)</c>, which
/// TorchSharp's native layer does not offer), over [S, B, d]:
/// <code>
///   x = x + Dropout(SelfAttention(LN1(x)))
///   x = x + Dropout(W2 Dropout(ReLU(W1 LN2(x))))
/// </code>
/// The residual path is never normalised, so a token's own embedding reaches the output unchanged plus what
/// attention adds; a post-norm layer renormalises the sum after every block. Parameter names are PyTorch's.
/// </summary>
public sealed class PreNormEncoderLayer : Module<Tensor, Tensor>
{
    readonly MultiheadAttention self_attn;
    readonly Linear linear1, linear2;
    readonly LayerNorm norm1, norm2;
    readonly Dropout dropout, dropout1, dropout2;

    public PreNormEncoderLayer(string name, int d, int heads, int feedForward, double p) : base(name)
    {
        self_attn = MultiheadAttention(d, heads, p);
        linear1 = Linear(d, feedForward);
        linear2 = Linear(feedForward, d);
        norm1 = LayerNorm(d);
        norm2 = LayerNorm(d);
        dropout = Dropout(p);
        dropout1 = Dropout(p);
        dropout2 = Dropout(p);
        RegisterComponents();
    }

    /// <param name="x">[S, B, d]</param>
    public override Tensor forward(Tensor x)
    {
        var h = norm1.forward(x);
        x = x.Plus(dropout1.forward(self_attn.forward(h, h, h, null, false, null).Item1));
        var f = linear2.forward(dropout.forward(functional.relu(linear1.forward(norm2.forward(x)))));
        return x.Plus(dropout2.forward(f));
    }
}
