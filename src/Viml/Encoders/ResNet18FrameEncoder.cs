using Viml.Encoders.Onnx;
using Viml.Media;

namespace Viml.Encoders;

/// <summary>
/// ResNet18 (ImageNet) frame encoder: the 512-d global-average-pooled features of the CNTK-exported ResNet18 shipped in
/// the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1.
/// Preprocessing is that of the package's <c>ResNetPreprocess.onnx</c> (docs/encoders.md): the RGB frame becomes planar
/// BGR 0-255 floats, minus the package's per-pixel mean image (channel means ~103/116/123 for B/G/R); no scaling.
/// </summary>
public sealed class ResNet18FrameEncoder : IFrameEncoder
{
    public const string ModelFile = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";
    public const string PreprocessFile = "DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx";
    public const string InputName = "Input247", OutputName = "Pooling395_Output_0", MeanImageName = "MeanImage";

    readonly OnnxImageRunner _runner;
    readonly FramePreprocessor _pre;

    public string Name => "resnet18";
    public int Dimension => 512;
    public int InputWidth => 224;
    public int InputHeight => 224;
    public OnnxExecution Execution { get; }
    public FramePrecision Precision { get; }

    /// <param name="execution">How to run the model; default: batched, symbolic batch dimension (fastest measured).</param>
    /// <param name="precision">Int8 runs the quantized copy of the model (built and cached on first use).</param>
    /// <param name="cacheFolder">Where the int8 model is cached; default <see cref="ResNet18Int8Model.DefaultCacheFolder"/>.</param>
    public ResNet18FrameEncoder(OnnxExecution? execution = null, FramePrecision precision = FramePrecision.Fp32,
        string? cacheFolder = null)
    {
        Execution = execution ?? OnnxExecution.Default;
        Precision = precision;
        string model = FindModelFile(ModelFile);
        _pre = new FramePreprocessor(224, 224, TensorLayout.NCHW, ChannelOrder.BGR, 1f, [0, 0, 0], [1, 1, 1], MeanImage());
        if (precision == FramePrecision.Int8) model = ResNet18Int8Model.Ensure(model, _pre, cacheFolder);
        _runner = new OnnxImageRunner(File.ReadAllBytes(model), model, InputName, OutputName, Execution);
    }

    /// <summary>The package's per-pixel mean image, [3, 224, 224] in B, G, R order.</summary>
    internal static float[] MeanImage()
    {
        string prep = FindModelFile(PreprocessFile);
        float[] meanImage;
        try { meanImage = OnnxProto.ReadFloatInitializer(File.ReadAllBytes(prep), MeanImageName, out _); }
        catch (InvalidDataException e) { throw new ConfigException($"{prep}: cannot read the mean image: {e.Message}", e); }
        if (meanImage.Length != 3 * 224 * 224) throw new ConfigException($"{prep}: mean image has {meanImage.Length} values, expected 3x224x224");
        return meanImage;
    }

    /// <summary>A file the package copies next to the program (<c>AppContext.BaseDirectory</c>); clear error when absent.</summary>
    internal static string FindModelFile(string relative)
    {
        string path = Path.Combine(AppContext.BaseDirectory, relative);
        if (!File.Exists(path))
            throw new ConfigException($"{path}: ResNet18 model file not found; it is copied to the output folder by the NuGet package " +
                                      "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (rebuild the project that references Viml)");
        return path;
    }

    public float[][] Embed(IReadOnlyList<RgbFrame> frames) => Embed(frames, _pre);

    /// <summary>With another preprocessing than the shipped one: only to measure what a wrong one costs.</summary>
    internal float[][] Embed(IReadOnlyList<RgbFrame> frames, FramePreprocessor pre) => _runner.Run(frames.Count, (i, dest) => pre.Write(frames[i], dest));

    public void Dispose() => _runner.Dispose();
}
