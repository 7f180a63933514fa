using TorchSharp;
using Viml.Encoders.Musicnn;
using Viml.Model;
using Viml.Torch;
using Xunit.Abstractions;

namespace Viml.Tests.Encoders.Musicnn;

/// <summary>The networks load their weights right: they reproduce the published models' outputs on a fixed batch.</summary>
public class MusicnnReferenceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("msd-musicnn/jordipons_msd_musicnn_torchlayout.safetensors", "msd_musicnn")]
    [InlineData("mtt-musicnn/jordipons_mtt_musicnn_torchlayout.safetensors", "mtt_musicnn")]
    public void Pons_musicnn_reproduces_the_reference_tags(string weights, string name)
    {
        TorchRuntime.Initialise();
        using var model = MusicnnWeights.LoadPons(MusicFixtures.Weights(weights));
        using var input = torch.tensor(MusicFixtures.ReadF32($"{name}_ref_in.f32"), new long[] { 2, 187, 96 });
        using var _ = torch.no_grad();
        using var result = model.forward(input);
        var expected = MusicFixtures.ReadF32($"{name}_ref_tags.f32");
        double diff = MusicFixtures.MaxAbsDiff(result.Tags.data<float>().ToArray(), expected);
        output.WriteLine($"{name}: max |tags - reference| = {diff:g3}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
        Assert.Equal(new long[] { 2, 200 }, result.Embedding.shape);
    }

    [Fact]
    public void Jamendo_musicnn_reproduces_the_reference_tags_from_the_waveform()
    {
        TorchRuntime.Initialise();
        using var model = MusicnnWeights.LoadJamendo(MusicFixtures.Weights("mtg-jamendo-musicnn/minzwon_jamendo_musicnn.safetensors"));
        using var input = torch.tensor(MusicFixtures.ReadF32("mtgjamendo_ref_in.f32"), new long[] { 2, 48000 });
        using var _ = torch.no_grad();
        using var result = model.forward(input);
        var expected = MusicFixtures.ReadF32("mtgjamendo_ref_tags.f32");
        double diff = MusicFixtures.MaxAbsDiff(result.Tags.data<float>().ToArray(), expected);
        output.WriteLine($"jamendo: max |tags - reference| = {diff:g3}");
        Assert.True(diff < 1e-4, $"max difference {diff}");
        Assert.Equal(new long[] { 2, 200 }, result.Embedding.shape);
    }
}
