using TorchSharp;
using Viml.Encoders.Musicnn;
using Viml.Model;
using Viml.Torch;
using Xunit.Abstractions;

namespace Viml.Tests.Encoders.Musicnn;

/// <summary>The pooled inference front end computes what the layers as written compute.</summary>
public class PooledFrontEndTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("msd-musicnn/jordipons_msd_musicnn_torchlayout.safetensors", "msd_musicnn")]
    [InlineData("mtt-musicnn/jordipons_mtt_musicnn_torchlayout.safetensors", "mtt_musicnn")]
    public void Pons_musicnn_pooled_gives_the_layered_embeddings_and_tags(string weights, string name)
    {
        TorchRuntime.Initialise();
        using var pooled = MusicnnWeights.LoadPons(MusicFixtures.Weights(weights));
        using var layered = MusicnnWeights.LoadPons(MusicFixtures.Weights(weights), pooledFrontEnd: false);
        using var input = torch.tensor(MusicFixtures.ReadF32($"{name}_ref_in.f32"), new long[] { 2, 187, 96 });
        Compare(pooled, layered, input, name);
    }

    [Fact]
    public void Jamendo_musicnn_pooled_gives_the_layered_embeddings_and_tags()
    {
        TorchRuntime.Initialise();
        string weights = MusicFixtures.Weights("mtg-jamendo-musicnn/minzwon_jamendo_musicnn.safetensors");
        using var pooled = MusicnnWeights.LoadJamendo(weights);
        using var layered = MusicnnWeights.LoadJamendo(weights, pooledFrontEnd: false);
        using var input = torch.tensor(MusicFixtures.ReadF32("mtgjamendo_ref_in.f32"), new long[] { 2, 48000 });
        Compare(pooled, layered, input, "jamendo");
    }

    void Compare(torch.nn.Module<torch.Tensor, MusicnnOutput> pooled, torch.nn.Module<torch.Tensor, MusicnnOutput> layered,
                 torch.Tensor input, string name)
    {
        using var _ = torch.no_grad();
        using var a = pooled.forward(input);
        using var b = layered.forward(input);
        double embedding = MusicFixtures.MaxAbsDiff(a.Embedding.data<float>().ToArray(), b.Embedding.data<float>().ToArray());
        double tags = MusicFixtures.MaxAbsDiff(a.Tags.data<float>().ToArray(), b.Tags.data<float>().ToArray());
        double scale = b.Embedding.abs().max().item<float>();
        output.WriteLine($"{name}: max |embedding diff| = {embedding:g3} (of max |embedding| {scale:g3}), max |tags diff| = {tags:g3}");
        Assert.True(embedding <= 1e-4 * scale, $"embeddings differ by {embedding}");
        Assert.True(tags < 1e-5, $"tags differ by {tags}");
    }
}
