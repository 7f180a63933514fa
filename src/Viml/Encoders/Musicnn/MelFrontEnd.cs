using TorchSharp;
using Viml.Torch;
using static TorchSharp.torch;

namespace Viml.Encoders.Musicnn;

/// <summary>Settings of a short-time Fourier transform + mel front end (musicnn's defaults).</summary>
public sealed record MelConfig(
    int SampleRate = 16000,
    int FftSize = 512,
    int Hop = 256,
    int Mels = 96,
    double FMin = 0,
    double FMax = 8000,
    int PatchFrames = 187)
{
    public int Bins => FftSize / 2 + 1;
}

/// <summary>
/// Mel filterbanks as librosa builds them: Slaney's mel scale (linear below 1 kHz, logarithmic above)
/// with Slaney area normalisation (each triangle scaled by 2 / its width in Hz), or the HTK scale.
/// Rows are FFT bins, columns mel bands: <c>[FftSize/2+1, Mels]</c>.
/// </summary>
public static class MelFilterbank
{
    const double FSp = 200.0 / 3, MinLogHz = 1000, MinLogMel = MinLogHz / FSp;
    static readonly double LogStep = Math.Log(6.4) / 27;

    public static double HzToMel(double hz, bool htk) =>
        htk ? 2595 * Math.Log10(1 + hz / 700)
            : hz < MinLogHz ? hz / FSp : MinLogMel + Math.Log(hz / MinLogHz) / LogStep;

    public static double MelToHz(double mel, bool htk) =>
        htk ? 700 * (Math.Pow(10, mel / 2595) - 1)
            : mel < MinLogMel ? mel * FSp : MinLogHz * Math.Exp(LogStep * (mel - MinLogMel));

    /// <summary>Triangular filters between mel-spaced edges; <paramref name="slaneyNorm"/> divides each by half its width.</summary>
    public static float[,] Build(MelConfig c, bool htk = false, bool slaneyNorm = true)
    {
        int bins = c.Bins, n = c.Mels;
        double lo = HzToMel(c.FMin, htk), hi = HzToMel(c.FMax, htk);
        var edges = new double[n + 2];
        for (int i = 0; i < n + 2; i++) edges[i] = MelToHz(lo + (hi - lo) * i / (n + 1), htk);
        var fb = new float[bins, n];
        for (int m = 0; m < n; m++)
        {
            double left = edges[m], centre = edges[m + 1], right = edges[m + 2];
            double norm = slaneyNorm ? 2.0 / (right - left) : 1.0;
            for (int k = 0; k < bins; k++)
            {
                double f = (double)k * c.SampleRate / c.FftSize;
                double rising = (f - left) / (centre - left), falling = (right - f) / (right - centre);
                fb[k, m] = (float)(Math.Max(0, Math.Min(rising, falling)) * norm);
            }
        }
        return fb;
    }
}

/// <summary>
/// Power mel spectrogram of waveforms: centred frames (reflect padding), periodic Hann window,
/// |STFT|^2, then a mel filterbank. Works on a batch <c>[B, samples]</c>, returns <c>[B, frames, mels]</c> (float32).
/// The STFT, power and filterbank run in float64: real music is often 100 dB quieter near 8 kHz than
/// at its peak, which puts those bins within two decades of a float32 FFT's rounding floor (about 1e-14 of
/// the frame's peak power); that floor depends on the FFT code the CPU gets (it differs between Intel
/// and AMD), and a log spectrum amplifies it (measured on the MTG-Jamendo reference: a floor of 1e-12
/// of the peak moves tags by 3e-4). In float64 the floor is ~1e-30 and the result is the same on any CPU.
/// </summary>
public sealed class MelSpectrogram : IDisposable
{
    public MelConfig Config { get; }
    readonly Tensor _window, _filterbank;

    public MelSpectrogram(MelConfig config, Tensor filterbank, Tensor? window = null)
    {
        Config = config;
        if (filterbank.shape[0] != config.Bins || filterbank.shape[1] != config.Mels)
            throw new ArgumentException($"mel filterbank is [{string.Join(",", filterbank.shape)}], expected [{config.Bins},{config.Mels}]");
        using (var fb = filterbank.detach()) _filterbank = fb.to_type(ScalarType.Float64, copy: true).DetachFromDisposeScope();
        if (window is null) _window = hann_window(config.FftSize, periodic: true, dtype: ScalarType.Float64).DetachFromDisposeScope();
        else using (var w = window.detach()) _window = w.to_type(ScalarType.Float64, copy: true).DetachFromDisposeScope();
    }

    /// <summary>librosa's <c>melspectrogram</c> defaults: Slaney mel with Slaney area normalisation.</summary>
    public static MelSpectrogram Librosa(MelConfig config) =>
        WithFilterbank(config, MelFilterbank.Build(config));

    static MelSpectrogram WithFilterbank(MelConfig config, float[,] filterbank)
    {
        using var fb = tensor(filterbank);
        return new MelSpectrogram(config, fb);
    }

    public Tensor Power(Tensor waves)
    {
        using var scope = NewDisposeScope();
        var spec = stft(waves.to_type(ScalarType.Float64), Config.FftSize, Config.Hop, Config.FftSize, _window, center: true,
                        pad_mode: PaddingModes.Reflect, normalized: false, onesided: true, return_complex: true);
        var power = spec.abs().square();                       // [B, bins, frames]
        return power.transpose(1, 2).matmul(_filterbank).to_type(ScalarType.Float32).MoveToOuterDisposeScope(); // [B, frames, mels]
    }

    public void Dispose() { _window.Dispose(); _filterbank.Dispose(); }
}

/// <summary>musicnn's input: <c>log10(10000 · mel + 1)</c> of the librosa mel spectrogram, cut into
/// non-overlapping patches of 187 frames (~3 s). A trailing part shorter than a patch is dropped, as
/// musicnn does; a waveform shorter than one patch is zero-padded to one patch.</summary>
public static class MusicnnInput
{
    public static Tensor LogCompress(Tensor mel)
    {
        using var scaled = mel.Mul(10000);
        return scaled.Add(1).log10_();
    }

    /// <summary>Number of centred STFT frames for <paramref name="samples"/> samples.</summary>
    public static int Frames(long samples, int hop) => (int)(samples / hop) + 1;

    /// <summary>Non-overlapping patches of a <c>[frames, mels]</c> spectrogram: <c>[P, PatchFrames, mels]</c>.</summary>
    public static Tensor Patches(Tensor logMel, int patchFrames)
    {
        long frames = logMel.shape[0];
        long p = frames / patchFrames;
        if (p == 0) throw new ArgumentException($"{frames} frames are fewer than one patch of {patchFrames}");
        return logMel.narrow(0, 0, p * patchFrames).reshape(p, patchFrames, logMel.shape[1]);
    }
}
