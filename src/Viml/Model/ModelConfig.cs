using System.Text.Json;
using System.Text.Json.Serialization;

namespace Viml.Model;

/// <summary>Which query the model learns to match with music.</summary>
public enum Variant
{
    /// <summary>ViML: video + text, fused (the paper's model).</summary>
    Viml,
    /// <summary>MVPt+: video only (MVPt with temperature 0.03).</summary>
    MvptPlus,
    /// <summary>MT: text only (the paper's music+text model, Appendix B).</summary>
    Mt,
}

/// <summary>The five fusion modules of Appendix A (Table 4).</summary>
public enum Fusion { Addition, Linear, Mlp, Transformer1, Transformer2 }

/// <summary>How a modality encoder turns its segment sequence into one embedding.</summary>
public enum Pooling
{
    /// <summary>Mean over the real (non-padding) segments.</summary>
    Mean,
    /// <summary>A learned token prepended to the sequence; its output is the embedding.</summary>
    Cls,
}

/// <summary>What the text base feature becomes when text dropout fires.</summary>
public enum TextDropoutValue
{
    /// <summary>The text encoder's embedding of the empty string (the paper's choice).</summary>
    EmptyString,
    /// <summary>A zero vector ("works similarly" in the paper).</summary>
    Zero,
}

/// <summary>
/// The model, with the paper's defaults: base features projected to d = 256, 2-layer Transformer
/// encoders per modality, 2-layer Transformer fusion, InfoNCE with cosine similarity at tau = 0.03,
/// text dropout p = 0.8 to the empty-string embedding. Saved as <c>config.json</c> beside the weights.
/// </summary>
public sealed record ModelConfig
{
    public Variant Variant { get; init; } = Variant.Viml;
    /// <summary>Base feature dimensions (frozen encoders): CLIP/ResNet18 frames, music, sentence.</summary>
    public int VideoDimension { get; init; } = 512;
    public int MusicDimension { get; init; } = 600;
    public int TextDimension { get; init; } = 384;
    /// <summary>d: the width of every encoder and of the joint embedding space.</summary>
    public int Dimension { get; init; } = 256;
    public int Layers { get; init; } = 2;
    public int Heads { get; init; } = 8;
    public int FeedForward { get; init; } = 2048;
    /// <summary>Dropout inside the Transformer layers (not text dropout).</summary>
    public double Dropout { get; init; } = 0.1;
    public Pooling Pooling { get; init; } = Pooling.Mean;
    public Fusion Fusion { get; init; } = Fusion.Transformer2;
    /// <summary>Hidden width of the MLP fusion (2048 gives Table 4's 1.6M parameters).</summary>
    public int FusionHidden { get; init; } = 2048;
    /// <summary>Pre-norm layers in the Transformer fusions (PyTorch's <c>norm_first</c>); default post-norm, as MVPt's encoders.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool FusionNormFirst { get; init; }
    /// <summary>tau of the InfoNCE loss.</summary>
    public double Temperature { get; init; } = 0.03;
    /// <summary>p: probability that a training sample's text is dropped.</summary>
    public double TextDropout { get; init; } = 0.8;
    public TextDropoutValue TextDropoutValue { get; init; } = TextDropoutValue.EmptyString;

    public bool UsesVideo => Variant != Variant.Mt;
    public bool UsesText => Variant != Variant.MvptPlus;

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Largest accepted base feature size, feed_forward and fusion_hidden; d and the layer count.</summary>
    public const int MaxWidth = 65536, MaxDimension = 8192, MaxLayers = 64;
    /// <summary>Accepted range of the InfoNCE temperature tau (the paper: 0.03).</summary>
    public const double MinTemperature = 1e-3, MaxTemperature = 100;

    /// <summary>Throws <see cref="ConfigException"/> naming the first bad value.</summary>
    public ModelConfig Validate(string source = "model config")
    {
        void Need(bool ok, string what) { if (!ok) throw new ConfigException($"{source}: {what}"); }
        Need(VideoDimension > 0 && MusicDimension > 0 && TextDimension > 0, "base feature dimensions must be positive");
        // Upper bounds far above any real model, so that a hostile config is refused before it allocates gigabytes.
        foreach (var (name, value) in new[] { ("video_dimension", VideoDimension), ("music_dimension", MusicDimension), ("text_dimension", TextDimension) })
            Need(value <= MaxWidth, $"{name} ({value}) is out of range (at most {MaxWidth})");
        Need(Dimension > 0 && Layers >= 1 && Heads >= 1 && Dimension % Heads == 0, $"dimension ({Dimension}) must be a positive multiple of heads ({Heads}), layers >= 1");
        Need(Dimension <= MaxDimension && Layers <= MaxLayers, $"dimension ({Dimension}) or layers ({Layers}) is out of range (at most {MaxDimension} and {MaxLayers})");
        Need(FeedForward > 0 && FusionHidden > 0, "feed_forward and fusion_hidden must be positive");
        Need(FeedForward <= MaxWidth && FusionHidden <= MaxWidth, $"feed_forward ({FeedForward}) or fusion_hidden ({FusionHidden}) is out of range (at most {MaxWidth})");
        Need(Dropout is >= 0 and < 1, $"dropout must be in [0, 1), got {Dropout}");
        // cos / tau reaches 1 / tau: below 1e-3 the logits overflow float32's softmax; infinity reads from 1e400.
        Need(Temperature is >= MinTemperature and <= MaxTemperature, $"temperature must be in [{MinTemperature}, {MaxTemperature}], got {Temperature}");
        Need(TextDropout is >= 0 and <= 1, $"text_dropout must be in [0, 1], got {TextDropout}");
        return this;
    }
}
