namespace Viml.Encoders;

/// <summary>
/// The one place encoders are picked by name, for the command line and training configs alike: a built-in name
/// (<c>resnet18</c>; <c>minilm</c>, or <c>synthetic</c>, the synthetic benchmark's bag of words) or the path of an
/// <see cref="OnnxEncoderConfig"/> JSON file.
/// </summary>
public static class EncoderRegistry
{
    public static IReadOnlyList<string> FrameEncoders { get; } = ["resnet18"];
    public static IReadOnlyList<string> TextEncoders { get; } = ["minilm", "synthetic"];

    /// <summary>True when <paramref name="spec"/> names a built-in frame encoder.</summary>
    public static bool IsBuiltInFrameEncoder(string spec) => FrameEncoders.Contains(spec, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="spec"/> names a built-in text encoder.</summary>
    public static bool IsBuiltInTextEncoder(string spec) => TextEncoders.Contains(spec, StringComparer.OrdinalIgnoreCase);

    /// <summary><c>resnet18</c> or a config path (kind frame).</summary>
    public static IFrameEncoder CreateFrameEncoder(string spec = "resnet18") => CreateFrameEncoder(spec, FramePrecision.Fp32);

    /// <summary>As above; <paramref name="precision"/> applies to <c>resnet18</c> (ONNX configs run as configured).</summary>
    public static IFrameEncoder CreateFrameEncoder(string spec, FramePrecision precision)
    {
        if (string.Equals(spec, "resnet18", StringComparison.OrdinalIgnoreCase)) return new ResNet18FrameEncoder(precision: precision);
        return new OnnxFrameEncoder(LoadConfig(spec, EncoderKind.Frame, FrameEncoders));
    }

    /// <summary><c>minilm</c>, <c>synthetic</c> or a config path (kind text).</summary>
    public static ITextEncoder CreateTextEncoder(string spec = "minilm")
    {
        if (string.Equals(spec, "minilm", StringComparison.OrdinalIgnoreCase)) return new MiniLmTextEncoder();
        if (string.Equals(spec, "synthetic", StringComparison.OrdinalIgnoreCase)) return new SyntheticTextEncoder();
        return new OnnxTextEncoder(LoadConfig(spec, EncoderKind.Text, TextEncoders));
    }

    /// <summary>Like <see cref="CreateFrameEncoder"/>, but a built-in encoder loads on its first use.</summary>
    public static IFrameEncoder FrameEncoderOnDemand(string spec = "resnet18", FramePrecision precision = FramePrecision.Fp32) =>
        string.Equals(spec, "resnet18", StringComparison.OrdinalIgnoreCase)
            ? new OnDemandFrameEncoder("resnet18", 512, 224, 224, () => new ResNet18FrameEncoder(precision: precision))
            : CreateFrameEncoder(spec, precision);

    /// <summary>Like <see cref="CreateTextEncoder"/>, but a built-in encoder loads on its first use.</summary>
    public static ITextEncoder TextEncoderOnDemand(string spec = "minilm") =>
        string.Equals(spec, "minilm", StringComparison.OrdinalIgnoreCase)
            ? new OnDemandTextEncoder("minilm", 384, () => new MiniLmTextEncoder())
            : CreateTextEncoder(spec);

    static OnnxEncoderConfig LoadConfig(string spec, EncoderKind kind, IReadOnlyList<string> builtIn)
    {
        string what = kind == EncoderKind.Frame ? "frame" : "text";
        if (string.IsNullOrWhiteSpace(spec) || (!File.Exists(spec) && !spec.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
            throw new ConfigException($"unknown {what} encoder '{spec}': use {string.Join(" or ", builtIn)}, or the path of an ONNX encoder config (.json, docs/encoders.md)");
        return OnnxEncoderConfig.Load(spec, kind);
    }
}
