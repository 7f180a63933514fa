using TorchSharp;
using Viml.Encoders;
using Viml.Encoders.Musicnn;

namespace Viml.Tests.Encoders.Musicnn;

public sealed class MusicnnEncoderFixture : IDisposable
{
    public MusicnnEncoder Encoder { get; } = new();
    public void Dispose() => Encoder.Dispose();
}

public class MusicnnEncoderTests(MusicnnEncoderFixture fixture) : IClassFixture<MusicnnEncoderFixture>
{
    MusicnnEncoder Encoder => fixture.Encoder;

    static float[] Tone(int samples, double hz, int seed = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, samples)
            .Select(i => (float)(0.4 * Math.Sin(2 * Math.PI * hz * i / 16000.0) * (1 + 0.5 * Math.Sin(2 * Math.PI * 2 * i / 16000.0)) + 0.02 * (rng.NextDouble() - 0.5)))
            .ToArray();
    }

    [Fact]
    public void Describes_600_dimensions_and_150_tags_from_the_three_models()
    {
        Assert.Equal(600, Encoder.Dimension);
        Assert.Equal(16000, Encoder.SampleRate);
        Assert.Equal(150, Encoder.Tags.Count);
        Assert.Equal(new TagInfo("msd", "genre", "rock"), Encoder.Tags[0]);
        Assert.Equal(new TagInfo("mtt", "timbre", "guitar"), Encoder.Tags[50]);
        Assert.Equal(new TagInfo("jamendo", "instrument", "piano"), Encoder.Tags[140]);
    }

    [Fact]
    public void Segment_features_are_the_patch_means_of_each_model()
    {
        var pcm = Tone(160000, 330);
        var f = Encoder.Embed([pcm])[0];
        Assert.Equal(600, f.Embedding.Length);
        Assert.Equal(150, f.Tags.Length);
        Assert.All(f.Tags, t => Assert.InRange(t, 0f, 1f));

        // Recompute the MSD part by hand: 3 log-mel patches through the network, then the mean.
        using var _ = torch.no_grad();
        using var msd = MusicnnWeights.LoadPons(MusicFixtures.Weights("msd-musicnn/jordipons_msd_musicnn_torchlayout.safetensors"));
        using var mel = MelSpectrogram.Librosa(new MelConfig());
        using var power = mel.Power(torch.tensor(pcm).unsqueeze(0));
        using var patches = MusicnnInput.Patches(MusicnnInput.LogCompress(power[0]), 187);
        Assert.Equal(3, patches.shape[0]);
        using var r = msd.forward(patches);
        var embedding = r.Embedding.mean([0]).data<float>().ToArray();
        var tags = r.Tags.mean([0]).data<float>().ToArray();
        Assert.True(MusicFixtures.MaxAbsDiff(f.Embedding.AsSpan(0, 200), embedding) < 1e-4);
        Assert.True(MusicFixtures.MaxAbsDiff(f.Tags.AsSpan(0, 50), tags) < 1e-5);
    }

    [Fact]
    public void Batching_segments_together_gives_the_same_features_as_one_by_one()
    {
        var a = Tone(160000, 220, 2);
        var b = Tone(100000, 880, 3);
        var together = Encoder.Embed([a, b]);
        var alone = Encoder.Embed([b])[0];
        Assert.True(MusicFixtures.MaxAbsDiff(together[1].Embedding, alone.Embedding) < 1e-4);
        Assert.True(MusicFixtures.MaxAbsDiff(together[1].Tags, alone.Tags) < 1e-5);
        Assert.True(MusicFixtures.MaxAbsDiff(together[0].Embedding, together[1].Embedding) > 0.1, "different music, different embeddings");
    }

    [Fact]
    public void A_segment_shorter_than_a_patch_is_zero_padded_to_3_seconds()
    {
        var shortPcm = Tone(16000, 440);
        var padded = new float[48000];
        shortPcm.CopyTo(padded, 0);
        var r = Encoder.Embed([shortPcm, padded]);
        Assert.True(MusicFixtures.MaxAbsDiff(r[0].Embedding, r[1].Embedding) < 1e-5);
    }

    [Fact]
    public void An_empty_or_non_finite_segment_is_rejected_naming_it()
    {
        var e = Assert.Throws<InvalidInputException>(() => Encoder.Embed([Tone(48000, 440), []]));
        Assert.Contains("segment 1", e.Message);
        var nan = Tone(48000, 440);
        nan[100] = float.NaN;
        e = Assert.Throws<InvalidInputException>(() => Encoder.Embed([nan]));
        Assert.Contains("segment 0", e.Message);
        Assert.Empty(Encoder.Embed([]));
    }
}
