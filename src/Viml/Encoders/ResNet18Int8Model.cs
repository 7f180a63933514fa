using System.Security.Cryptography;
using Viml.Encoders.Onnx;
using Viml.IO;
using Viml.Media;
using Viml.Synthetic;

namespace Viml.Encoders;

/// <summary>
/// The int8 ResNet18: built from the shipped fp32 model by <see cref="OnnxQuantizer"/>, with activation ranges
/// calibrated on frames decoded from videos generated here by ffmpeg (the demo's looks and a few of ffmpeg's test
/// sources, fixed seeds, so the model is the same on every machine with the same ffmpeg), and cached in the user's
/// cache folder under a name that holds a hash of the source model and the recipe version.
/// </summary>
public static class ResNet18Int8Model
{
    /// <summary>Bumped whenever the recipe (calibration inputs, quantization rules) changes.</summary>
    public const int RecipeVersion = 2;
    const double CalibrationSeconds = 4, CalibrationFps = 2;

    /// <summary><c>$VIML_CACHE</c>, else <c>$XDG_CACHE_HOME/viml</c>, else <c>~/.cache/viml</c>.</summary>
    public static string DefaultCacheFolder =>
        Environment.GetEnvironmentVariable("VIML_CACHE") is { Length: > 0 } v ? v
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? Path.Combine(x, "viml")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "viml");

    /// <summary>The lavfi graphs of the calibration videos.</summary>
    public static IReadOnlyList<string> CalibrationSources { get; } =
    [
        .. DemoVideo.Looks.SelectMany(look => new[] { 11, 12 }.Select(seed => Seeded(DemoVideo.Filter(look, seed, CalibrationSeconds), seed))),
        $"mandelbrot=s=320x240,trim=duration={CalibrationSeconds}",
        $"cellauto=s=320x240:rule=110,trim=duration={CalibrationSeconds}",
        $"smptehdbars=s=320x240:d={CalibrationSeconds}",
        $"life=s=320x240:mold=10:ratio=0.1:death_color=#C83232:life_color=#00ff00,trim=duration={CalibrationSeconds}",
    ];

    /// <summary>A lavfi graph whose <c>noise</c> filters draw from <paramref name="seed"/> instead of a random seed.</summary>
    public static string Seeded(string filter, int seed) => filter.Replace("noise=", $"noise=all_seed={seed}:", StringComparison.Ordinal);

    /// <summary>The cached int8 model for <paramref name="fp32Path"/>, built (minutes at most) when absent.</summary>
    public static string Ensure(string fp32Path, FramePreprocessor pre, string? cacheFolder = null, CancellationToken ct = default)
    {
        byte[] source = File.ReadAllBytes(fp32Path);
        string hash = Convert.ToHexStringLower(SHA256.HashData(source))[..16];
        string path = Path.Combine(cacheFolder ?? DefaultCacheFolder, "models", $"resnet18-int8-r{RecipeVersion}-{hash}.onnx");
        if (File.Exists(path)) return path;
        byte[] model = Build(source, pre, CalibrationFrames(ct));
        AtomicFile.Write(path, s => s.Write(model));
        return path;
    }

    /// <summary>
    /// Quantizes <paramref name="fp32Model"/> with ranges measured on <paramref name="frames"/>: the 99.99th percentile of
    /// each activation; in float: the first convolution (on the pixels) and the first residual block (two convolutions
    /// and their sum), where dark, noisy frames have small activations that one int8 scale resolves poorly. Measured on
    /// generated video against the other choices (docs/encoders.md).
    /// </summary>
    public static byte[] Build(byte[] fp32Model, FramePreprocessor pre, IReadOnlyList<RgbFrame> frames) =>
        Build(fp32Model, pre, frames, 0.9999, FloatHeadConvs, FloatHeadAdds, 0);

    /// <summary>Leading convolutions and residual sums kept in float by <see cref="Build(byte[], FramePreprocessor, IReadOnlyList{RgbFrame})"/>.</summary>
    internal const int FloatHeadConvs = 3, FloatHeadAdds = 1;

    internal static byte[] Build(byte[] fp32Model, FramePreprocessor pre, IReadOnlyList<RgbFrame> frames, double percentile,
        bool firstConv, int floatTailAdds) =>
        Build(fp32Model, pre, frames, percentile, firstConv ? 0 : 1, 0, floatTailAdds);

    internal static byte[] Build(byte[] fp32Model, FramePreprocessor pre, IReadOnlyList<RgbFrame> frames, double percentile,
        int floatHeadConvs, int floatHeadAdds, int floatTailAdds)
    {
        if (frames.Count == 0) throw new ArgumentException("no calibration frames", nameof(frames));
        OnnxGraph g;
        try { g = OnnxGraph.Read(fp32Model); }
        catch (InvalidDataException e) { throw new ConfigException($"ResNet18 model: cannot read the graph: {e.Message}", e); }
        OnnxQuantizer.FoldBatchNorms(g);
        var tensors = OnnxQuantizer.ActivationsToQuantize(g, floatHeadConvs, floatHeadAdds, floatTailAdds);
        const int batch = 8;
        var batches = frames.Chunk(batch).Select(chunk =>
        {
            var data = new float[chunk.Length * pre.Size];
            for (int i = 0; i < chunk.Length; i++) pre.Write(chunk[i], data.AsSpan(i * pre.Size, pre.Size));
            return data;
        });
        var ranges = OnnxQuantizer.Calibrate(g, ResNet18FrameEncoder.InputName, [3, pre.Height, pre.Width], tensors, batches, percentile);
        OnnxQuantizer.Quantize(g, ranges);
        return g.Write();
    }

    /// <summary>Frames decoded (224x224, 2 per second) from the calibration videos, rendered in a temp folder.</summary>
    public static IReadOnlyList<RgbFrame> CalibrationFrames(CancellationToken ct = default)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"viml-calibration-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var frames = new List<RgbFrame>();
            for (int i = 0; i < CalibrationSources.Count; i++)
            {
                string video = Path.Combine(dir, $"{i}.mp4");
                Renderer.RenderVideo(CalibrationSources[i], video, ct);
                frames.AddRange(FrameDecoder.Decode(video, CalibrationFps, 224, 224, ct: ct));
            }
            return frames;
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
    }
}
