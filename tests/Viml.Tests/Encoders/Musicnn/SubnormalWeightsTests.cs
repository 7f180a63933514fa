using TorchSharp;
using Viml.Encoders.Musicnn;
using Viml.IO;
using Viml.Torch;

namespace Viml.Tests.Encoders.Musicnn;

/// <summary>Subnormal weights (the CPU's slow path) load as zero; everything else loads as shipped.</summary>
public class SubnormalWeightsTests
{
    [Fact]
    public void Flush_zeroes_subnormals_only()
    {
        float smallestNormal = BitConverter.Int32BitsToSingle(0x00800000);
        float[] values = [1e-40f, -1e-45f, float.Epsilon, smallestNormal, -smallestNormal, 0f, 1.5f, float.NaN, float.NegativeInfinity];
        Assert.Equal(3, Subnormals.FlushToZero(values));
        Assert.Equal([0f, 0f, 0f, smallestNormal, -smallestNormal, 0f, 1.5f], values[..7]);
        Assert.True(float.IsNaN(values[7]) && float.IsNegativeInfinity(values[8]));
    }

    [Fact]
    public void The_shipped_jamendo_weights_hold_subnormals_and_the_loaded_models_none()
    {
        string jamendo = MusicFixtures.Weights("mtg-jamendo-musicnn/minzwon_jamendo_musicnn.safetensors");
        long shipped = SafeTensors.Load(jamendo).Tensors.Values.Sum(t => (long)t.Data.Count(float.IsSubnormal));
        Assert.True(shipped > 10_000, $"{shipped} subnormal values in {jamendo}");   // the case the flush is for

        TorchRuntime.Initialise();
        using var msd = MusicnnWeights.LoadPons(MusicFixtures.Weights("msd-musicnn/jordipons_msd_musicnn_torchlayout.safetensors"));
        using var mtt = MusicnnWeights.LoadPons(MusicFixtures.Weights("mtt-musicnn/jordipons_mtt_musicnn_torchlayout.safetensors"));
        using var jam = MusicnnWeights.LoadJamendo(jamendo);
        foreach (var model in new torch.nn.Module[] { msd, mtt, jam })
            foreach (var (name, t) in model.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter))
                         .Concat(model.named_buffers().Select(b => (b.name, b.buffer)))
                         .Where(x => x.Item2.dtype == torch.ScalarType.Float32))
                Assert.False(t.data<float>().ToArray().Any(float.IsSubnormal), $"{model.GetName()}.{name} holds subnormal values");
    }
}
