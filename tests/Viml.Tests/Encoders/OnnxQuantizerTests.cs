using Viml.Encoders;
using Viml.Encoders.Onnx;
using Viml.Media;
using Xunit.Abstractions;

namespace Viml.Tests.Encoders;

public class OnnxQuantizerTests(ITestOutputHelper log)
{
    static byte[] Fp32Model => File.ReadAllBytes(ResNet18FrameEncoder.FindModelFile(ResNet18FrameEncoder.ModelFile));
    static readonly RgbFrame[] Frames = [TestImages.Scene(1), TestImages.Landscape(2), TestImages.Noise(3)];

    static float[][] Run(byte[] model, string what)
    {
        using var runner = new OnnxImageRunner(model, what, ResNet18FrameEncoder.InputName, ResNet18FrameEncoder.OutputName,
            new OnnxExecution(BatchSize: 4, Sessions: 1));
        var pre = new FramePreprocessor(224, 224, TensorLayout.NCHW, ChannelOrder.BGR, 1f, [0, 0, 0], [1, 1, 1],
            ResNet18FrameEncoder.MeanImage());
        return runner.Run(Frames.Length, (i, dest) => pre.Write(Frames[i], dest));
    }

    [Fact]
    public void Folding_the_batch_norms_into_the_convolutions_keeps_the_features()
    {
        var g = OnnxGraph.Read(Fp32Model);
        Assert.Equal(22, OnnxQuantizer.FoldBatchNorms(g));       // every Conv of ResNet18 is followed by its BN
        Assert.DoesNotContain(g.Nodes, n => n.OpType == "BatchNormalization");
        var expected = Run(Fp32Model, "fp32");
        var actual = Run(g.Write(), "folded");
        for (int i = 0; i < Frames.Length; i++)
        {
            double cos = TestImages.Cosine(expected[i], actual[i]);
            log.WriteLine($"frame {i}: cosine folded vs shipped {cos:F7}");
            Assert.True(cos > 0.99999, $"frame {i}: cosine {cos}");
        }
    }

    [Fact]
    public void Quantized_graph_runs_and_every_convolution_but_the_first_reads_int8()
    {
        var g = OnnxGraph.Read(Fp32Model);
        OnnxQuantizer.FoldBatchNorms(g);
        var tensors = OnnxQuantizer.ActivationsToQuantize(g);
        // ranges wide enough for any input: only the structure is checked here (accuracy: ResNet18Int8Tests)
        OnnxQuantizer.Quantize(g, tensors.ToDictionary(t => t, _ => (-300f, 300f)));
        var convs = g.Nodes.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal("Input247", convs[0].Inputs[0]);                    // the first convolution reads the pixels in float
        Assert.All(convs.Skip(1), c => Assert.EndsWith("_dq", c.Inputs[0]));
        Assert.All(convs.Skip(1), c => Assert.Equal(OnnxTensor.Int8,
            g.Initializers[g.Nodes.Single(n => n.Outputs[0] == c.Inputs[1]).Inputs[0]].DataType));
        Assert.Equal(13, g.Opset);
        var result = Run(g.Write(), "int8");
        Assert.All(result, r => Assert.True(r.Length == 512 && r.All(float.IsFinite)));
    }
}
