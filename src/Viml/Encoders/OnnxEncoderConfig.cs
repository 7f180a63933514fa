using System.Text.Json;
using System.Text.Json.Serialization;

namespace Viml.Encoders;

/// <summary>Which interface an ONNX encoder config plugs into.</summary>
public enum EncoderKind { Frame, Text }

/// <summary>How a text model's token outputs become one vector: mean over real tokens, the first ([CLS]) token, or the output as is.</summary>
public enum TextPooling { Mean, Cls, None }

/// <summary>
/// A small JSON file that plugs any ONNX image or sentence encoder into Viml (docs/encoders.md shows a CLIP image encoder).
/// Paths are relative to the config file. Frame models take one float tensor [batch, ...] built from the RGB frame by
/// <c>(pixel * scale - mean[c]) / std[c]</c>; text models take WordPiece token ids (BERT vocabulary file).
/// </summary>
public sealed record OnnxEncoderConfig
{
    /// <summary>frame or text.</summary>
    public EncoderKind? Kind { get; init; }
    /// <summary>Short name stored with the features (default: the model file name).</summary>
    public string? Name { get; init; }
    /// <summary>The .onnx file.</summary>
    public string Model { get; init; } = "";
    /// <summary>Name of the image input (frame) or of the token-id input (text).</summary>
    public string Input { get; init; } = "";
    /// <summary>Name of the output holding the embedding (frame: [batch, ...] flattened; text: [batch, tokens, d] or [batch, d]).</summary>
    public string Output { get; init; } = "";
    /// <summary>L2-normalise each embedding.</summary>
    public bool Normalize { get; init; }

    // ---- frame models ----
    public int Width { get; init; } = 224;
    public int Height { get; init; } = 224;
    /// <summary>NCHW (planar) or NHWC (interleaved).</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.NCHW;
    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.RGB;
    /// <summary>Multiplies the 0-255 pixel first (1/255 for models trained on 0-1 images).</summary>
    public float Scale { get; init; } = 1f / 255f;
    /// <summary>Per-channel mean, in <see cref="ChannelOrder"/>, on the scaled values.</summary>
    public float[] Mean { get; init; } = [0, 0, 0];
    /// <summary>Per-channel standard deviation, in <see cref="ChannelOrder"/>.</summary>
    public float[] Std { get; init; } = [1, 1, 1];

    // ---- text models ----
    /// <summary>BERT WordPiece vocabulary (vocab.txt, one token a line).</summary>
    public string? Vocab { get; init; }
    /// <summary>Most tokens per text, [CLS] and [SEP] included; longer texts are cut.</summary>
    public int MaxTokens { get; init; } = 256;
    public bool Lowercase { get; init; } = true;
    /// <summary>Attention-mask input name, or null when the model has none.</summary>
    public string? AttentionMask { get; init; } = "attention_mask";
    /// <summary>Token-type input name (all zeros), or null when the model has none.</summary>
    public string? TokenTypeIds { get; init; }
    public TextPooling Pooling { get; init; } = TextPooling.Mean;

    /// <summary>Folder of the config file: relative paths are resolved against it.</summary>
    [JsonIgnore] public string BaseDirectory { get; init; } = "";
    /// <summary>The config file, for error messages.</summary>
    [JsonIgnore] public string Source { get; init; } = "(inline config)";

    internal string ModelPath => Path.GetFullPath(Path.Combine(BaseDirectory, Model));
    internal string? VocabPath => Vocab == null ? null : Path.GetFullPath(Path.Combine(BaseDirectory, Vocab));

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Reads and checks a config file; any problem is a <see cref="ConfigException"/> naming the file and the field.</summary>
    /// <param name="expected">The kind the caller needs; another kind is reported before anything else.</param>
    public static OnnxEncoderConfig Load(string path, EncoderKind? expected = null)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ConfigException($"{full}: encoder config file not found");
        OnnxEncoderConfig? c;
        try { c = JsonSerializer.Deserialize<OnnxEncoderConfig>(File.ReadAllText(full), Json); }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" field '{e.Path.TrimStart('$', '.')}':";
            throw new ConfigException($"{full}:{field} {FirstLine(e.Message)}", e);
        }
        catch (IOException e) { throw new ConfigException($"{full}: cannot read the encoder config: {e.Message}", e); }
        if (c == null) throw new ConfigException($"{full}: the encoder config is empty (expected a JSON object)");
        c = c with { BaseDirectory = Path.GetDirectoryName(full)!, Source = full };
        if (expected != null && c.Kind != null && c.Kind != expected)
            throw new ConfigException($"{full}: field 'kind': is \"{c.Kind.ToString()!.ToLowerInvariant()}\"; a {expected.ToString()!.ToLowerInvariant()} encoder is needed here");
        c.Validate();
        return c;
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();

    /// <summary>Checks required fields and that the files exist.</summary>
    public void Validate()
    {
        void Fail(string field, string problem) => throw new ConfigException($"{Source}: field '{field}': {problem}");
        if (Kind == null) Fail("kind", "missing: frame or text");
        if (string.IsNullOrWhiteSpace(Model)) Fail("model", "missing: path to the .onnx file");
        if (!File.Exists(ModelPath)) Fail("model", $"file not found: {ModelPath}");
        if (string.IsNullOrWhiteSpace(Input)) Fail("input", "missing: name of the model input");
        if (string.IsNullOrWhiteSpace(Output)) Fail("output", "missing: name of the model output");
        if (Kind == EncoderKind.Frame)
        {
            if (Width < 1 || Width > 4096) Fail("width", $"{Width} is not a frame width (1-4096)");
            if (Height < 1 || Height > 4096) Fail("height", $"{Height} is not a frame height (1-4096)");
            if (Mean is not { Length: 3 }) Fail("mean", "needs 3 values, one per channel");
            if (Std is not { Length: 3 } || Std.Any(s => !(s > 0) || !float.IsFinite(s))) Fail("std", "needs 3 positive values, one per channel");
            if (!float.IsFinite(Scale) || Scale == 0) Fail("scale", $"{Scale} is not a usable pixel scale");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Vocab)) Fail("vocab", "missing: path to the WordPiece vocab.txt");
            if (!File.Exists(VocabPath)) Fail("vocab", $"file not found: {VocabPath}");
            if (MaxTokens < 2 || MaxTokens > 8192) Fail("maxTokens", $"{MaxTokens} is outside 2-8192");
        }
    }
}
