using TorchSharp;
using Viml.Model;
using Viml.Torch;
using static TorchSharp.torch;

namespace Viml.Tests.Model;

[Collection(TorchRandom.Name)]
public class ModelTests
{
    internal static ModelConfig Small(Variant variant = Variant.Viml, Fusion fusion = Fusion.Transformer2, Pooling pooling = Pooling.Mean) => new()
    {
        Variant = variant, VideoDimension = 12, MusicDimension = 10, TextDimension = 8,
        Dimension = 16, Heads = 2, FeedForward = 32, FusionHidden = 24, Fusion = fusion, Pooling = pooling,
    };

    static float[][] Rows(Random r, int n, int d) =>
        Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float)r.NextDouble()).ToArray()).ToArray();

    [Theory]
    [InlineData(Fusion.Addition, Pooling.Mean)]
    [InlineData(Fusion.Linear, Pooling.Cls)]
    [InlineData(Fusion.Mlp, Pooling.Mean)]
    [InlineData(Fusion.Transformer1, Pooling.Mean)]
    [InlineData(Fusion.Transformer2, Pooling.Cls)]
    public void Every_fusion_gives_one_d_vector_per_item_and_a_finite_loss(Fusion fusion, Pooling pooling)
    {
        TorchRuntime.Initialise();
        torch.manual_seed(1);
        using var model = new VimlModel(Small(fusion: fusion, pooling: pooling));
        var r = new Random(1);
        var (video, pad) = Batching.Pad(new[] { Rows(r, 3, 12), Rows(r, 5, 12), Rows(r, 1, 12) }, 12, "video");
        var (music, _) = Batching.Pad(new[] { Rows(r, 3, 10), Rows(r, 5, 10), Rows(r, 1, 10) }, 10, "music");
        var text = torch.rand(3, 8);
        Assert.Equal(new long[] { 3, 5 }, pad!.shape);
        Assert.Equal(new long[] { 3, 16 }, model.EmbedQuery(video, pad, text).shape);
        Assert.Equal(new long[] { 3, 16 }, model.EmbedMusic(music, pad).shape);
        var loss = model.forward(new Batch(video, music, pad, text)).item<float>();
        Assert.True(float.IsFinite(loss) && loss > 0, $"loss {loss}");
    }

    [Fact]
    public void Padding_segments_do_not_change_an_items_embedding()
    {
        TorchRuntime.Initialise();
        torch.manual_seed(2);
        using var model = new VimlModel(Small(Variant.MvptPlus));
        model.eval();
        var r = new Random(2);
        var shortItem = Rows(r, 2, 12);
        var alone = TrainedModel.From(model).EmbedQueries(new[] { shortItem }, new float[]?[] { null })[0];
        var padded = TrainedModel.From(model).EmbedQueries(new[] { shortItem, Rows(r, 6, 12) }, new float[]?[] { null, null })[0];
        for (int i = 0; i < alone.Length; i++) Assert.Equal(alone[i], padded[i], 4);
    }

    [Fact]
    public void InfoNce_is_symmetric_and_matches_a_direct_computation()
    {
        TorchRuntime.Initialise();
        var q = new float[,] { { 1, 0 }, { 0.6f, 0.8f }, { -1, 1 } };
        var m = new float[,] { { 2, 0.5f }, { 0, 1 }, { -0.3f, 0.3f } };
        double tau = 0.5;
        // Direct: cosine matrix, row-wise and column-wise log-softmax at the diagonal.
        int n = 3;
        double Cos(int i, int j)
        {
            double dot = q[i, 0] * m[j, 0] + q[i, 1] * m[j, 1];
            return dot / Math.Sqrt(q[i, 0] * q[i, 0] + q[i, 1] * q[i, 1]) / Math.Sqrt(m[j, 0] * m[j, 0] + m[j, 1] * m[j, 1]);
        }
        double qm = 0, mq = 0;
        for (int i = 0; i < n; i++)
        {
            qm -= Cos(i, i) / tau - Math.Log(Enumerable.Range(0, n).Sum(j => Math.Exp(Cos(i, j) / tau)));
            mq -= Cos(i, i) / tau - Math.Log(Enumerable.Range(0, n).Sum(j => Math.Exp(Cos(j, i) / tau)));
        }
        double expected = qm / n + mq / n;
        using var tq = torch.tensor(q);
        using var tm = torch.tensor(m);
        double forward = Losses.SymmetricInfoNce(tq, tm, tau).item<float>();
        double swapped = Losses.SymmetricInfoNce(tm, tq, tau).item<float>();
        Assert.Equal(expected, forward, 5);
        Assert.Equal(forward, swapped, 5);
        Assert.NotEqual(qm / n, mq / n, 3); // the two directions differ, so symmetry is not trivial here
    }

    [Fact]
    public void Text_dropout_replaces_text_at_rate_p_in_training_only()
    {
        TorchRuntime.Initialise();
        torch.manual_seed(3);
        var config = Small() with { TextDropout = 0.8 };
        using var dropout = new TextDropout("text_dropout", config);
        var empty = Enumerable.Repeat(-5f, 8).ToArray();
        dropout.SetNull(empty);
        using var text = torch.ones(20000, 8);
        dropout.train();
        using var y = dropout.forward(text);
        double rate = y[.., 0].eq(-5f).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(rate, 0.79, 0.81);
        Assert.True(y.eq(1f).logical_or(y.eq(-5f)).all().item<bool>(), "a row is either kept or replaced whole");
        dropout.eval();
        using var z = dropout.forward(text);
        Assert.True(z.eq(1f).all().item<bool>());
    }

    [Fact]
    public void A_saved_checkpoint_loads_to_identical_embeddings()
    {
        TorchRuntime.Initialise();
        torch.manual_seed(4);
        string dir = Path.Combine(Path.GetTempPath(), "viml-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var model = new VimlModel(Small(fusion: Fusion.Mlp, pooling: Pooling.Cls));
            model.TextDropoutModule.SetNull(Enumerable.Range(0, 8).Select(i => i * 0.1f).ToArray());
            Checkpoint.Save(dir, model);
            using var a = TrainedModel.From(model);
            using var b = TrainedModel.Load(dir);
            var r = new Random(4);
            var video = Rows(r, 4, 12); var music = Rows(r, 3, 10); var text = Rows(r, 1, 8)[0];
            // Weights are bit-identical; embeddings agree to float rounding (kernels may pick other paths for other buffers).
            var before = Checkpoint.ToNamedTensors(model).ToDictionary(t => t.Name);
            foreach (var t in Checkpoint.ToNamedTensors(b.Module)) Assert.Equal(before[t.Name].Data, t.Data);
            Close(a.EmbedQuery(video, text), b.EmbedQuery(video, text));
            Close(a.EmbedQuery(video, null), b.EmbedQuery(video, null));
            Close(a.EmbedMusic(music), b.EmbedMusic(music));
            Assert.NotEqual(a.EmbedQuery(video, text), a.EmbedQuery(video, null));
            Assert.Equal(1.0, Math.Sqrt(b.EmbedMusic(music).Sum(x => x * x)), 4);
            Assert.Null(b.EmbedTextOnly(text));
            Assert.Equal((16, 12, 10, 8), (b.Dimension, b.VideoDimension, b.MusicDimension, b.TextDimension));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    static void Close(float[] x, float[] y)
    {
        Assert.Equal(x.Length, y.Length);
        for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(x[i] - y[i]) < 1e-6, $"[{i}] {x[i]} vs {y[i]}");
    }

    [Fact]
    public void Loading_a_checkpoint_with_other_shapes_names_the_file_and_tensor()
    {
        TorchRuntime.Initialise();
        string dir = Path.Combine(Path.GetTempPath(), "viml-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            Checkpoint.Save(dir, new VimlModel(Small()));
            File.WriteAllText(Path.Combine(dir, "config.json"), System.Text.Json.JsonSerializer.Serialize(Small() with { MusicDimension = 11 }, ModelConfig.Json));
            var e = Assert.Throws<InvalidInputException>(() => TrainedModel.Load(dir));
            Assert.Contains("model.safetensors", e.Message);
            Assert.Contains("music.proj.weight", e.Message);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}

/// <summary>Tests that seed or draw from libtorch's global generator run one at a time, so seeded runs stay reproducible.</summary>
[CollectionDefinition(Name)]
public sealed class TorchRandom { public const string Name = "libtorch global random generator"; }
