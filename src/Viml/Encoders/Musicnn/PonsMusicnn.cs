using TorchSharp;
using TorchSharp.Modules;
using Viml.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Viml.Encoders.Musicnn;

/// <summary>What a musicnn tagger returns for a batch of patches.</summary>
public sealed record MusicnnOutput(Tensor Embedding, Tensor Tags) : IDisposable
{
    public void Dispose() { Embedding.Dispose(); Tags.Dispose(); }
}

/// <summary>
/// musicnn (Pons &amp; Serra 2019) as trained on the Million Song Dataset and MagnaTagATune.
/// Input: log-mel patches <c>[B, T=187, 96]</c>. Layer names are the keys of the
/// <c>*_torchlayout.safetensors</c> files. Each conv is followed by ReLU and then batch norm
/// (the original TensorFlow order, epsilon 1e-3).
/// <list type="bullet">
/// <item>front end: timbral convs 7 frames x 38 / 67 mel bands (40% / 70% of 96), temporal convs
///   128 / 64 / 32 frames x 1 band; each max-pooled over frequency → 204+204+51+51+51 = 561 per frame;</item>
/// <item>mid end: three 7-frame convs over all features (64 filters), the 2nd and 3rd residual;
///   dense connections give 561+64+64+64 = 753 per frame;</item>
/// <item>back end: max and mean over time (1506), BN, dense 1506→200 (its pre-ReLU output is the
///   200-d embedding), ReLU, BN, dense 200→50, sigmoid.</item>
/// </list>
/// </summary>
public sealed class PonsMusicnn : Module<Tensor, MusicnnOutput>
{
    const double TfEpsilon = 1e-3; // tf.layers.batch_normalization default

    readonly BatchNorm2d bn_in;
    readonly Conv2d f74, f77, s1, s2, s3;
    readonly ModuleList<BatchNorm2d> bns;
    readonly Conv2d m1, m2, m3;
    readonly ModuleList<BatchNorm2d> bm;
    readonly BatchNorm1d bn_flat, bn_dense;
    readonly Linear dense, @out;
    (MaxOverBandsConv Conv, BatchNormAffine Norm)[]? _pooledFront; // set by PrepareInference

    public PonsMusicnn(int mels = 96, int classes = 50, int midFilters = 64, int denseUnits = 200) : base("musicnn")
    {
        int timbral = 204, temporal = 51; // int(1.6 * 128), int(1.6 * 32)
        int front = 2 * timbral + 3 * temporal;
        bn_in = BatchNorm2d(1, eps: TfEpsilon);
        f74 = Conv2d(1, timbral, (7, (long)(0.4 * mels)));
        f77 = Conv2d(1, timbral, (7, (long)(0.7 * mels)));
        s1 = Conv2d(1, temporal, (128, 1));
        s2 = Conv2d(1, temporal, (64, 1));
        s3 = Conv2d(1, temporal, (32, 1));
        bns = new ModuleList<BatchNorm2d>(
            BatchNorm2d(timbral, eps: TfEpsilon), BatchNorm2d(timbral, eps: TfEpsilon),
            BatchNorm2d(temporal, eps: TfEpsilon), BatchNorm2d(temporal, eps: TfEpsilon), BatchNorm2d(temporal, eps: TfEpsilon));
        m1 = Conv2d(1, midFilters, (7, front));
        m2 = Conv2d(1, midFilters, (7, midFilters));
        m3 = Conv2d(1, midFilters, (7, midFilters));
        bm = new ModuleList<BatchNorm2d>(
            BatchNorm2d(midFilters, eps: TfEpsilon), BatchNorm2d(midFilters, eps: TfEpsilon), BatchNorm2d(midFilters, eps: TfEpsilon));
        int pooled = 2 * (front + 3 * midFilters);
        bn_flat = BatchNorm1d(pooled, eps: TfEpsilon);
        dense = Linear(pooled, denseUnits);
        bn_dense = BatchNorm1d(denseUnits, eps: TfEpsilon);
        @out = Linear(denseUnits, classes);
        RegisterComponents();
    }

    /// <summary>
    /// Freezes the loaded weights for inference: the front end then pools before its ReLU and batch norm
    /// (<see cref="MaxOverBandsConv"/>), which gives the same numbers on 1/59 of the values. Training mode
    /// and an unprepared model run the layers as written.
    /// </summary>
    public void PrepareInference()
    {
        var convs = new[] { f74, f77, s1, s2, s3 };
        _pooledFront = convs.Select((conv, i) =>
        {
            var norm = BatchNormAffine.Of(bns[i], TfEpsilon);
            return (new MaxOverBandsConv(conv.weight!, conv.bias!, norm.Sign), norm);
        }).ToArray();
    }

    /// <summary><paramref name="logMel"/>: <c>[B, T, mels]</c>.</summary>
    public override MusicnnOutput forward(Tensor logMel)
    {
        using var scope = NewDisposeScope();
        var x = bn_in.forward(logMel.unsqueeze(1));                  // [B, 1, T, F]

        // Front end: conv → ReLU → BN, then max over the frequency axis → [B, C, T].
        var front = _pooledFront is not null && !training ? PooledFront(x.squeeze(1)) : LayeredFront(x);

        // Mid end: 7-frame convs spanning all features; residual connections on the 2nd and 3rd.
        var c1 = MidBlock(m1, bm[0], front);
        var c2 = MidBlock(m2, bm[1], c1).Plus(c1);
        var c3 = MidBlock(m3, bm[2], c2).Plus(c2);
        var features = cat(new[] { front, c1, c2, c3 }, 1);           // [B, 753, T]

        // Back end: temporal max and mean pooling, interleaved per feature as TensorFlow flattened [753, 2].
        var pooled = stack(new[] { features.amax(new long[] { 2 }), features.mean(new long[] { 2 }) }, 2).flatten(1);
        var embedding = dense.forward(bn_flat.forward(pooled));      // pre-ReLU penultimate: the 200-d embedding
        var tags = sigmoid(@out.forward(bn_dense.forward(F.relu(embedding))));
        return new MusicnnOutput(embedding.MoveToOuterDisposeScope(), tags.MoveToOuterDisposeScope());
    }

    Tensor LayeredFront(Tensor x)
    {
        var timbralIn = F.pad(x, new long[] { 0, 0, 3, 3 });          // 'same' in time for 7 frames
        return cat(new[]
        {
            FrontBlock(f74, bns[0], timbralIn),
            FrontBlock(f77, bns[1], timbralIn),
            FrontBlock(s1, bns[2], SameInTime(x, 128)),
            FrontBlock(s2, bns[3], SameInTime(x, 64)),
            FrontBlock(s3, bns[4], SameInTime(x, 32)),
        }, 1);                                                        // [B, 561, T]
    }

    /// <summary>
    /// max_j BN(ReLU(z_j)) = a·ReLU(s·max_j(s·z_j)) + b for BN = a·x + b and s = sign(a): ReLU and BN are
    /// monotone per channel, so the maximum (or, where a &lt; 0, the minimum) can be taken first.
    /// </summary>
    Tensor PooledFront(Tensor x)
    {
        var timbralIn = F.pad(x, new long[] { 0, 0, 3, 3 });
        var inputs = new[] { timbralIn, timbralIn, SameInTime(x, 128), SameInTime(x, 64), SameInTime(x, 32) };
        return cat(_pooledFront!.Select((p, i) =>
        {
            var m = p.Conv.Forward(inputs[i]);                        // [B, C, T]
            return F.relu(m.mul_(p.Norm.Sign.view(1, -1, 1))).mul_(p.Norm.Scale.view(1, -1, 1)).add_(p.Norm.Shift.view(1, -1, 1));
        }).ToArray(), 1);
    }

    static Tensor FrontBlock(Conv2d conv, BatchNorm2d bn, Tensor x) =>
        bn.forward(F.relu(conv.forward(x))).amax(new long[] { 3 });

    /// <summary>TensorFlow's 'same' padding in time for an even kernel: one frame more after than before.</summary>
    static Tensor SameInTime(Tensor x, int kernel) => F.pad(x, new long[] { 0, 0, (kernel - 1) / 2, kernel / 2 });

    protected override void Dispose(bool disposing)
    {
        if (disposing && _pooledFront is not null)
            foreach (var (conv, norm) in _pooledFront) { conv.Dispose(); norm.Dispose(); }
        base.Dispose(disposing);
    }

    /// <summary>A conv whose kernel spans all <c>C</c> features of <c>[B, C, T]</c>, 'same' in time → <c>[B, filters, T]</c>.</summary>
    static Tensor MidBlock(Conv2d conv, BatchNorm2d bn, Tensor x)
    {
        var image = F.pad(x.transpose(1, 2).unsqueeze(1), new long[] { 0, 0, 3, 3 }); // [B, 1, T+6, C]
        return bn.forward(F.relu(conv.forward(image))).squeeze(3);                     // [B, filters, T]
    }
}
