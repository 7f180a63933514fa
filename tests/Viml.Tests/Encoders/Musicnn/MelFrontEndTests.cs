using System.Buffers.Binary;
using System.Text;
using TorchSharp;
using Viml.Encoders.Musicnn;
using Viml.IO;
using Viml.Model;
using Viml.Torch;
using Xunit.Abstractions;

namespace Viml.Tests.Encoders.Musicnn;

public class MelFrontEndTests(ITestOutputHelper output)
{
    static float[] LogMel(float[] pcm)
    {
        TorchRuntime.Initialise();
        using var mel = MelSpectrogram.Librosa(new MelConfig());
        using var wave = torch.tensor(pcm).unsqueeze(0);
        using var power = mel.Power(wave);
        using var log = MusicnnInput.LogCompress(power[0]);
        return log.data<float>().ToArray();
    }

    [Fact]
    public void Log_mel_matches_an_independent_numpy_computation()
    {
        // Fixture written by Fixtures/make_logmel_fixture.py (numpy rfft + librosa's Slaney formulas).
        var expected = MusicFixtures.ReadF32("logmel_ref.f32");
        var actual = LogMel(MusicFixtures.ReadF32("logmel_in.f32"));
        Assert.Equal(63 * 96, actual.Length);
        double diff = MusicFixtures.MaxAbsDiff(actual, expected);
        output.WriteLine($"max |log-mel - numpy| = {diff:g3} (values up to {expected.Max():f2})");
        Assert.True(diff < 1e-3, $"max difference {diff}");
    }

    [Fact]
    public void A_1kHz_sine_peaks_in_the_mel_band_centred_nearest_1kHz()
    {
        var pcm = Enumerable.Range(0, 16000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / 16000.0))).ToArray();
        var logMel = LogMel(pcm);
        var cfg = new MelConfig();
        // Band centres on the Slaney scale.
        double lo = MelFilterbank.HzToMel(0, false), hi = MelFilterbank.HzToMel(8000, false);
        int expectedBand = Enumerable.Range(0, 96)
            .MinBy(m => Math.Abs(MelFilterbank.MelToHz(lo + (hi - lo) * (m + 1) / 97, false) - 1000));
        int frame = 30;
        var row = logMel.AsSpan(frame * 96, 96).ToArray();
        int peak = Array.IndexOf(row, row.Max());
        Assert.Equal(expectedBand, peak);
        Assert.True(row[peak] > row[5] + 2, "the peak band stands well above a distant band");
    }

    [Fact]
    public void Mel_power_scales_with_the_square_of_the_amplitude()
    {
        TorchRuntime.Initialise();
        var pcm = Enumerable.Range(0, 8000).Select(i => (float)(0.1 * Math.Sin(2 * Math.PI * 440 * i / 16000.0))).ToArray();
        using var mel = MelSpectrogram.Librosa(new MelConfig());
        using var a = mel.Power(torch.tensor(pcm).unsqueeze(0));
        using var b = mel.Power(torch.tensor(pcm.Select(v => 3 * v).ToArray()).unsqueeze(0));
        using var ratio = b.sum() / a.sum();
        Assert.Equal(9.0, ratio.item<float>(), 3);
    }

    [Theory]
    [InlineData(160000, 626, 3)]   // 10 s: 3 patches of 187 frames (first ~9 s)
    [InlineData(48000, 188, 1)]    // 3 s
    [InlineData(95744, 375, 2)]
    public void Patch_count_follows_the_centred_frame_count(int samples, int frames, int patches)
    {
        Assert.Equal(frames, MusicnnInput.Frames(samples, 256));
        using var logMel = torch.zeros(frames, 96);
        using var p = MusicnnInput.Patches(logMel, 187);
        Assert.Equal(new long[] { patches, 187, 96 }, p.shape);
    }

    [Fact]
    public void Htk_filterbank_matches_the_one_shipped_with_the_Jamendo_model()
    {
        var shipped = ReadNpy(MusicFixtures.Weights("mtg-jamendo-musicnn/mtgjamendo_melfb_257x96.npy"), out var shape);
        Assert.Equal(new[] { 257, 96 }, shape);
        var built = MelFilterbank.Build(new MelConfig(), htk: true, slaneyNorm: false);
        double diff = MusicFixtures.MaxAbsDiff(built.Cast<float>().ToArray(), shipped);
        Assert.True(diff < 1e-4, $"max difference {diff}"); // torchaudio builds it in float32, we in float64
        Assert.True(shipped.Max() > 0.9f, "weights of HTK filters without area normalisation peak near 1");
        // The same filterbank is inside the safetensors the model loads.
        var inWeights = SafeTensors.Load(MusicFixtures.Weights("mtg-jamendo-musicnn/minzwon_jamendo_musicnn.safetensors")).Tensors["spec.mel_scale.fb"];
        Assert.Equal(0, MusicFixtures.MaxAbsDiff(inWeights.Data, shipped));
    }

    /// <summary>A little-endian float32 C-order .npy file.</summary>
    static float[] ReadNpy(string path, out int[] shape)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        int major = bytes[6];
        int headerLen = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, start, headerLen);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'fortran_order': False", header);
        var dims = header[(header.IndexOf("'shape': (") + 10)..];
        shape = dims[..dims.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(start + headerLen)).ToArray();
    }
}
