using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Viml.Encoders.Onnx;
using Viml.Media;

namespace Viml.Encoders;

/// <summary>
/// Any ONNX image encoder (a CLIP image tower, another CNN), described by an <see cref="OnnxEncoderConfig"/> of kind frame.
/// A fixed batch dimension is made symbolic so frames run in batches on parallel sessions, as for ResNet18.
/// </summary>
public sealed class OnnxFrameEncoder : IFrameEncoder
{
    readonly OnnxImageRunner _runner;
    readonly FramePreprocessor _pre;
    readonly bool _normalize;

    public string Name { get; }
    public int Dimension { get; }
    public int InputWidth => _pre.Width;
    public int InputHeight => _pre.Height;

    public OnnxFrameEncoder(OnnxEncoderConfig config, OnnxExecution? execution = null)
    {
        if (config.Kind != EncoderKind.Frame) throw new ConfigException($"{config.Source}: field 'kind': a frame encoder needs kind \"frame\"");
        config.Validate();
        Name = config.Name ?? Path.GetFileNameWithoutExtension(config.Model);
        _normalize = config.Normalize;
        _pre = new FramePreprocessor(config.Width, config.Height, config.Layout, config.ChannelOrder, config.Scale, config.Mean, config.Std);
        try { _runner = new OnnxImageRunner(File.ReadAllBytes(config.ModelPath), config.Source, config.Input, config.Output, execution ?? OnnxExecution.Default); }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException)
        {
            throw new ConfigException($"{config.Source}: field 'model': ONNX Runtime cannot load {config.ModelPath}: {e.Message}", e);
        }
        long expected = 3L * config.Height * config.Width;
        if (_runner.ItemSize != expected)
            throw new ConfigException($"{config.Source}: fields 'width'/'height'/'layout': the model input '{config.Input}' holds {_runner.ItemSize} values per image, " +
                                      $"not 3x{config.Height}x{config.Width}");
        Dimension = Embed([new RgbFrame(config.Width, config.Height, new byte[config.Width * config.Height * 3])])[0].Length;
    }

    /// <summary>Loads <paramref name="configPath"/> (see <see cref="OnnxEncoderConfig"/>).</summary>
    public static OnnxFrameEncoder FromConfig(string configPath, OnnxExecution? execution = null) => new(OnnxEncoderConfig.Load(configPath), execution);

    public float[][] Embed(IReadOnlyList<RgbFrame> frames)
    {
        var result = _runner.Run(frames.Count, (i, dest) => _pre.Write(frames[i], dest));
        if (_normalize)
            foreach (var v in result)
            {
                float norm = TensorPrimitives.Norm(v);
                if (norm > 1e-12f) TensorPrimitives.Divide(v, norm, v);
            }
        return result;
    }

    public void Dispose() => _runner.Dispose();
}
