using TorchSharp;
using TorchSharp.Modules;
using Viml.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Viml.Model;

/// <summary>
/// f^vt(y^v, y^t): fuses the video and text embeddings into one query embedding y^vt (Appendix A):
/// <code>
///   addition      y^vt = y^v + y^t                                   (no parameters)
///   linear        y^vt = W [y^v; y^t] + b                            (131K at d = 256)
///   mlp           y^vt = W2 ReLU(W1 [y^v; y^t] + b1) + b2            (1.6M, hidden 2048)
///   transformerK  y^vt = mean(Transformer_K([y^v + e_v, y^t + e_t])) (K = 1, 2 layers)
/// </code>
/// The Transformer variants see the two embeddings as a 2-token sequence; e_v, e_t are learned
/// token-type embeddings so the module knows which token is which. With <see cref="ModelConfig.FusionNormFirst"/>
/// their layers are pre-norm (<see cref="PreNormEncoderLayer"/>) instead of PyTorch's default post-norm.
/// </summary>
public sealed class FusionModule : Module<Tensor, Tensor, Tensor>
{
    readonly Fusion kind;
    readonly Module<Tensor, Tensor>? net;
    readonly TransformerEncoder? transformer;
    readonly ModuleList<PreNormEncoderLayer>? prenorm;
    readonly Parameter? token_type;

    public FusionModule(string name, ModelConfig c) : base(name)
    {
        kind = c.Fusion;
        int d = c.Dimension;
        switch (kind)
        {
            case Fusion.Linear:
                net = Linear(2 * d, d);
                break;
            case Fusion.Mlp:
                net = Sequential(("0", Linear(2 * d, c.FusionHidden)), ("1", ReLU()), ("2", Linear(c.FusionHidden, d)));
                break;
            case Fusion.Transformer1:
            case Fusion.Transformer2:
                int layers = kind == Fusion.Transformer1 ? 1 : 2;
                if (c.FusionNormFirst)
                    prenorm = ModuleList(Enumerable.Range(0, layers).Select(i => new PreNormEncoderLayer($"{i}", d, c.Heads, c.FeedForward, c.Dropout)).ToArray());
                else
                    transformer = TransformerEncoder(TransformerEncoderLayer(d, c.Heads, c.FeedForward, c.Dropout), layers);
                token_type = Parameter(randn(2, d).Mul(0.02));
                break;
        }
        RegisterComponents();
    }

    /// <param name="yv">[B, d] video embedding.</param>
    /// <param name="yt">[B, d] text embedding.</param>
    public override Tensor forward(Tensor yv, Tensor yt) => kind switch
    {
        Fusion.Addition => yv.Plus(yt),
        Fusion.Linear or Fusion.Mlp => net!.forward(cat(new[] { yv, yt }, -1)),
        _ => Encode(stack(new[] { yv, yt }, 0).Plus(token_type!.unsqueeze(1))).mean(new long[] { 0 }),
    };

    Tensor Encode(Tensor tokens)
    {
        if (transformer is not null) return transformer.forward(tokens, null, null);
        foreach (var layer in prenorm!) tokens = layer.forward(tokens);
        return tokens;
    }
}
