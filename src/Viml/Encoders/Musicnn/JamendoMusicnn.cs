using TorchSharp;
using TorchSharp.Modules;
using Viml.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Viml.Encoders.Musicnn;

/// <summary>conv → BN → ReLU (the order of Won et al.'s code base), named as its <c>conv</c>/<c>bn</c> keys.</summary>
public sealed class ConvBnRelu : Module<Tensor, Tensor>
{
    readonly Module<Tensor, Tensor> conv, bn;

    public ConvBnRelu(Module<Tensor, Tensor> conv, Module<Tensor, Tensor> bn) : base("conv_bn_relu")
    {
        this.conv = conv;
        this.bn = bn;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => F.relu(bn.forward(conv.forward(x)));

    public Module<Tensor, Tensor> Convolution => conv;
    public Module<Tensor, Tensor> Norm => bn;
}

/// <summary>
/// The musicnn of Won et al. (2020, sota-music-tagging-models) trained on MTG-Jamendo top-50.
/// Input: 3 s of 16 kHz waveform <c>[B, 48000]</c>; its own front end is torchaudio's
/// MelSpectrogram (HTK mel, no area normalisation; the filterbank ships with the weights) and
/// AmplitudeToDB (10·log10 of the power, floor 1e-10), then a 1-channel BN.
/// <list type="bullet">
/// <item>front end (<c>layers</c>): vertical convs 67 / 38 bands x 7 frames max-pooled over frequency
///   (204 each), horizontal 1-D convs of 129 / 65 / 33 frames on the frequency-averaged input (51 each);</item>
/// <item>mid end: three 1-D convs of 7 frames (64 channels), residual on the 2nd and 3rd;</item>
/// <item>back end: max and mean over time (1506), dense → 200 (pre-BN output is the embedding),
///   BN, ReLU, dense → 50, sigmoid.</item>
/// </list>
/// </summary>
public sealed class JamendoMusicnn : Module<Tensor, MusicnnOutput>
{
    public static readonly MelConfig Mel = new();
    /// <summary>Waveform samples per input chunk (3 s).</summary>
    public const int ChunkSamples = 48000;

    readonly BatchNorm2d spec_bn;
    readonly ModuleList<ConvBnRelu> layers;
    readonly ConvBnRelu layer1, layer2, layer3;
    readonly Linear dense1, dense2;
    readonly BatchNorm1d bn;
    MelSpectrogram? _spec;
    (MaxOverBandsConv Conv, BatchNormAffine Norm)[]? _pooledFront; // set by PrepareInference

    public JamendoMusicnn(int classes = 50, int midChannels = 64, int denseUnits = 200) : base("jamendo_musicnn")
    {
        int mels = Mel.Mels;
        spec_bn = BatchNorm2d(1);
        layers = new ModuleList<ConvBnRelu>(
            Vertical(204, (long)(0.7 * mels)), Vertical(204, (long)(0.4 * mels)),
            Horizontal(51, 129), Horizontal(51, 65), Horizontal(51, 33));
        int front = 2 * 204 + 3 * 51;
        layer1 = Temporal(front, midChannels);
        layer2 = Temporal(midChannels, midChannels);
        layer3 = Temporal(midChannels, midChannels);
        int pooled = 2 * (front + 3 * midChannels);
        dense1 = Linear(pooled, denseUnits);
        bn = BatchNorm1d(denseUnits);
        dense2 = Linear(denseUnits, classes);
        RegisterComponents();
    }

    static ConvBnRelu Vertical(int filters, long bands) =>
        new(Conv2d(1, filters, (bands, 7), padding: (0, 3)), BatchNorm2d(filters));
    static ConvBnRelu Horizontal(int filters, int frames) =>
        new(Conv1d(1, filters, frames, padding: frames / 2), BatchNorm1d(filters));
    static ConvBnRelu Temporal(int inChannels, int outChannels) =>
        new(Conv1d(inChannels, outChannels, 7, padding: 3), BatchNorm1d(outChannels));

    /// <summary>Sets the mel front end from the shipped window and filterbank (<c>spec.*</c> keys).</summary>
    public void SetFrontEnd(Tensor window, Tensor filterbank)
    {
        _spec?.Dispose();
        _spec = new MelSpectrogram(Mel, filterbank, window);
    }

    /// <summary>
    /// Freezes the loaded weights for inference: the two vertical front-end convs then pool over frequency before
    /// their batch norm and ReLU (<see cref="MaxOverBandsConv"/>), which gives the same numbers on 1/30 and 1/59
    /// of the values. Training mode and an unprepared model run the layers as written.
    /// </summary>
    public void PrepareInference()
    {
        _pooledFront = new[] { layers[0], layers[1] }.Select(layer =>
        {
            var conv = (Conv2d)layer.Convolution;
            var norm = BatchNormAffine.Of((BatchNorm2d)layer.Norm, 1e-5);
            using var timeBands = conv.weight!.permute(0, 1, 3, 2);   // [C, 1, bands, 7] → [C, 1, 7, bands]
            return (new MaxOverBandsConv(timeBands, conv.bias!, norm.Sign), norm);
        }).ToArray();
    }

    /// <summary>
    /// max_f ReLU(BN(z_f)) = ReLU(|a|·max_f(s·z_f) + b) for BN = a·x + b and s = sign(a): both maps are monotone
    /// per channel, so the maximum (or, where a &lt; 0, the minimum) can be taken first. <paramref name="x"/>:
    /// <c>[B, 1, F, T]</c> → <c>[B, C, T]</c>.
    /// </summary>
    Tensor PooledVertical(int i, Tensor x)
    {
        var (conv, norm) = _pooledFront![i];
        var timeBands = F.pad(x.squeeze(1).transpose(1, 2), new long[] { 0, 0, 3, 3 }); // [B, T + 6, F]
        var m = conv.Forward(timeBands);
        return F.relu(m.mul_(norm.Scale.abs().view(1, -1, 1)).add_(norm.Shift.view(1, -1, 1)));
    }

    /// <summary>torchaudio's MelSpectrogram + AmplitudeToDB: <c>[B, samples]</c> → <c>[B, mels, frames]</c> in dB.</summary>
    public Tensor Decibels(Tensor waves)
    {
        if (_spec is null) throw new InvalidOperationException("the mel front end is not loaded");
        using var mel = _spec.Power(waves);
        using var floored = mel.ClampMin(1e-10);
        return floored.log10_().MulInPlace(10).transpose(1, 2);
    }

    /// <summary><paramref name="waves"/>: <c>[B, 48000]</c> mono 16 kHz.</summary>
    public override MusicnnOutput forward(Tensor waves)
    {
        using var scope = NewDisposeScope();
        var x = spec_bn.forward(Decibels(waves).unsqueeze(1));       // [B, 1, F, T]

        bool prepared = _pooledFront is not null && !training;
        var front = cat(new[]
        {
            prepared ? PooledVertical(0, x) : layers[0].forward(x).amax(new long[] { 2 }), // max over frequency → [B, 204, T]
            prepared ? PooledVertical(1, x) : layers[1].forward(x).amax(new long[] { 2 }),
            layers[2].forward(x.mean(new long[] { 2 })),              // mean over frequency → [B, 1, T] → [B, 51, T]
            layers[3].forward(x.mean(new long[] { 2 })),
            layers[4].forward(x.mean(new long[] { 2 })),
        }, 1);                                                        // [B, 561, T]

        var r1 = layer1.forward(front);
        var r2 = layer2.forward(r1).Plus(r1);
        var r3 = layer3.forward(r2).Plus(r2);
        var features = cat(new[] { front, r1, r2, r3 }, 1);           // [B, 753, T]

        var pooled = cat(new[] { features.amax(new long[] { 2 }), features.mean(new long[] { 2 }) }, 1); // [B, 1506]
        var embedding = dense1.forward(pooled);                       // the 200-d embedding
        var tags = sigmoid(dense2.forward(F.relu(bn.forward(embedding))));
        return new MusicnnOutput(embedding.MoveToOuterDisposeScope(), tags.MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _spec?.Dispose();
        if (disposing && _pooledFront is not null)
            foreach (var (conv, norm) in _pooledFront) { conv.Dispose(); norm.Dispose(); }
        base.Dispose(disposing);
    }
}
