using Microsoft.ML.OnnxRuntime;
using Viml.Encoders;
using Viml.Encoders.Onnx;
using Viml.Media;

namespace Viml.Tests.Encoders;

public sealed class OnnxEncoderTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-onnx-").FullName;
    static readonly float[] W = [0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f];   // [3,2]

    public void Dispose() => Directory.Delete(_dir, true);

    string Write(string name, string text) { var p = Path.Combine(_dir, name); File.WriteAllText(p, text); return p; }

    static RgbFrame RandomFrame(Random rng, int w, int h) { var px = new byte[w * h * 3]; rng.NextBytes(px); return new RgbFrame(w, h, px); }

    /// <summary>embedding = per-channel mean of ((p * scale - mean) / std), channels in model order, times W.</summary>
    static float[] Expected(RgbFrame f, ChannelOrder order, float scale, float[] mean, float[] std)
    {
        var m = new double[3]; var px = f.Pixels.Span; int hw = f.Width * f.Height;
        for (int i = 0; i < hw; i++)
            for (int c = 0; c < 3; c++)
            {
                int src = order == ChannelOrder.RGB ? c : 2 - c;
                m[c] += (px[3 * i + src] * scale - mean[c]) / std[c] / hw;
            }
        return [(float)(m[0] * W[0] + m[1] * W[2] + m[2] * W[4]), (float)(m[0] * W[1] + m[1] * W[3] + m[2] * W[5])];
    }

    [Theory]
    [InlineData("NCHW", "RGB")]
    [InlineData("NCHW", "BGR")]
    [InlineData("NHWC", "BGR")]
    [InlineData("NHWC", "RGB")]
    public void Frame_encoder_from_config_computes_the_graph_on_preprocessed_frames(string layout, string order)
    {
        const int w = 6, h = 4;
        File.WriteAllBytes(Path.Combine(_dir, "tiny.onnx"), layout == "NCHW" ? TinyOnnx.PoolingImageModel(w, h, W) : TinyOnnx.NhwcImageModel(w, h, W));
        var config = Write("tiny.json", $$"""
            {
              // a CLIP-style config on a tiny graph
              "kind": "frame", "name": "tiny", "model": "tiny.onnx", "input": "image", "output": "embedding",
              "width": {{w}}, "height": {{h}}, "layout": "{{layout}}", "channelOrder": "{{order}}",
              "scale": 0.00392156862, "mean": [0.48, 0.46, 0.41], "std": [0.27, 0.26, 0.28],
            }
            """);
        using var enc = (OnnxFrameEncoder)EncoderRegistry.CreateFrameEncoder(config);
        Assert.Equal("tiny", enc.Name);
        Assert.Equal(2, enc.Dimension);
        Assert.Equal((w, h), (enc.InputWidth, enc.InputHeight));
        var rng = new Random(7);
        var frames = Enumerable.Range(0, 7).Select(_ => RandomFrame(rng, w, h)).ToArray();   // 7 = 4 + 3 over two sessions
        var got = enc.Embed(frames);
        var ord = Enum.Parse<ChannelOrder>(order);
        for (int i = 0; i < frames.Length; i++)
        {
            var want = Expected(frames[i], ord, 0.00392156862f, [0.48f, 0.46f, 0.41f], [0.27f, 0.26f, 0.28f]);
            Assert.Equal(want[0], got[i][0], 4);
            Assert.Equal(want[1], got[i][1], 4);
        }
    }

    [Fact]
    public void Batch_rewrite_makes_dimension_0_symbolic_and_fixes_the_reshape_constant()
    {
        var model = TinyOnnx.PoolingImageModel(3, 2, W);
        var rewritten = OnnxProto.MakeBatchSymbolic(model, out int inputs);
        Assert.Equal(1, inputs);
        using var session = new InferenceSession(rewritten);
        Assert.True(session.InputMetadata["image"].Dimensions[0] < 0);       // symbolic now
        Assert.True(session.OutputMetadata["embedding"].Dimensions[0] < 0);
        // the shape constant [1,-1] became [0,-1]: a batch of 3 runs and gives 3 rows
        var x = new float[3 * 3 * 2 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = i % 7;
        using var input = OrtValue.CreateTensorValueFromMemory(x, [3, 3, 2, 3]);
        using var ro = new RunOptions();
        using var outs = session.Run(ro, ["image"], [input], ["embedding"]);
        Assert.Equal([3L, 2], outs[0].GetTensorTypeAndShape().Shape);
        using var original = new InferenceSession(model);
        for (int b = 0; b < 3; b++)
        {
            using var one = OrtValue.CreateTensorValueFromMemory(x.AsSpan(b * 18, 18).ToArray(), [1, 3, 2, 3]);
            using var o1 = original.Run(ro, ["image"], [one], ["embedding"]);
            Assert.Equal(o1[0].GetTensorDataAsSpan<float>().ToArray(), outs[0].GetTensorDataAsSpan<float>().Slice(b * 2, 2).ToArray());
        }
        // the untouched parts are byte-identical: the initializer W is still there
        Assert.Equal(W, OnnxProto.ReadFloatInitializer(rewritten, "W", out var dims));
        Assert.Equal([3L, 2], dims);
    }

    [Fact]
    public void Text_encoder_from_config_mean_pools_the_token_outputs()
    {
        string[] vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "music", "##s", "cafe"];
        const int d = 4;
        var table = new float[vocab.Length * d];
        for (int i = 0; i < table.Length; i++) table[i] = MathF.Sin(i * 1.7f) + (i % d == 0 ? 1 : 0);
        File.WriteAllBytes(Path.Combine(_dir, "text.onnx"), TinyOnnx.EmbeddingTextModel(table, vocab.Length, d));
        File.WriteAllLines(Path.Combine(_dir, "vocab.txt"), vocab);
        var config = Write("text.json", """
            { "kind": "text", "model": "text.onnx", "vocab": "vocab.txt", "input": "input_ids", "attentionMask": "attention_mask",
              "output": "last_hidden_state", "pooling": "mean", "normalize": true, "maxTokens": 4 }
            """);
        using var enc = (OnnxTextEncoder)EncoderRegistry.CreateTextEncoder(config);
        Assert.Equal([2, 9, 6, 3], enc.Tokenize("Café world hello hello"));
        Assert.Equal([2, 5, 7, 3], enc.Tokenize("Hello MUSICS"));
        Assert.Equal(d, enc.Dimension);
        var got = enc.Embed(["Hello MUSICS", "", "Café world hello hello", "zzz"]);
        float[] Expect(params int[] ids)
        {
            var v = new float[d];
            foreach (var id in ids) for (int k = 0; k < d; k++) v[k] += table[id * d + k] / ids.Length;
            float n = MathF.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / n).ToArray();
        }
        void Same(float[] want, float[] have) { for (int k = 0; k < d; k++) Assert.Equal(want[k], have[k], 5); }
        Same(Expect(2, 3), got[1]);                 // empty: [CLS] [SEP]
        Same(Expect(2, 9, 6, 3), got[2]);           // accent stripped, cut to 4
        Same(Expect(2, 1, 3), got[3]);              // unknown word
        Same(Expect(2, 5, 7, 3), got[0]);           // cut to 4 tokens: [CLS] hello music [SEP]
    }

    [Fact]
    public void Bad_configs_name_the_file_and_the_field()
    {
        File.WriteAllBytes(Path.Combine(_dir, "tiny.onnx"), TinyOnnx.PoolingImageModel(4, 4, W));
        string Error(string json) => Assert.Throws<ConfigException>(() => EncoderRegistry.CreateFrameEncoder(Write("c.json", json))).Message;

        var missing = Assert.Throws<ConfigException>(() => EncoderRegistry.CreateFrameEncoder(Path.Combine(_dir, "nope.json"))).Message;
        Assert.Contains("nope.json", missing);
        Assert.Contains("not found", missing);

        var unknown = Assert.Throws<ConfigException>(() => EncoderRegistry.CreateFrameEncoder("vgg99")).Message;
        Assert.Contains("vgg99", unknown);
        Assert.Contains("resnet18", unknown);

        var m = Error("{ \"kind\": \"frame\", \"model\": ");
        Assert.Contains("c.json", m);

        m = Error("""{ "kind": "frame", "model": "tiny.onnx", "input": "image", "output": "embedding", "width": "wide" }""");
        Assert.Contains("c.json", m); Assert.Contains("'width'", m);

        m = Error("""{ "kind": "frame", "model": "tiny.onnx", "inptu": "image", "output": "embedding" }""");
        Assert.Contains("c.json", m); Assert.Contains("inptu", m);

        m = Error("""{ "kind": "frame", "model": "missing.onnx", "input": "image", "output": "embedding" }""");
        Assert.Contains("'model'", m); Assert.Contains("missing.onnx", m);

        m = Error("""{ "kind": "frame", "model": "tiny.onnx", "output": "embedding", "width": 4, "height": 4 }""");
        Assert.Contains("'input'", m);

        m = Error("""{ "model": "tiny.onnx", "input": "image", "output": "embedding" }""");
        Assert.Contains("'kind'", m);

        m = Error("""{ "kind": "frame", "model": "tiny.onnx", "input": "pixels", "output": "embedding", "width": 4, "height": 4 }""");
        Assert.Contains("'input'", m); Assert.Contains("pixels", m); Assert.Contains("image", m);   // lists the real inputs

        m = Error("""{ "kind": "frame", "model": "tiny.onnx", "input": "image", "output": "embedding", "width": 4, "height": 4, "std": [1, 0, 1] }""");
        Assert.Contains("'std'", m);

        m = Error("""{ "kind": "frame", "model": "tiny.onnx", "input": "image", "output": "embedding", "width": 8, "height": 4 }""");
        Assert.Contains("'width'", m);

        m = Error("""{ "kind": "text", "model": "tiny.onnx", "vocab": "v.txt", "input": "image", "output": "embedding" }""");
        Assert.Contains("'kind'", m);

        File.WriteAllText(Path.Combine(_dir, "junk.onnx"), "not a model");
        m = Error("""{ "kind": "frame", "model": "junk.onnx", "input": "image", "output": "embedding", "width": 4, "height": 4 }""");
        Assert.Contains("junk.onnx", m);
    }
}
