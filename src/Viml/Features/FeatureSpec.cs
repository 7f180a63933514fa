using System.Globalization;
using System.Text.Json.Serialization;

namespace Viml.Features;

/// <summary>
/// The feature contract: everything that decides what a base feature means. Extraction writes it into the
/// feature store, training carries it into the checkpoint's metadata, a catalog keeps the spec of the model its
/// vectors come from, and <c>recommend</c> / <c>serve</c> take their encoders and segment length from it.
/// Two parts that disagree on a field do not work together (<see cref="RefuseMismatch"/> names both values).
/// Stores, checkpoints and catalogs made before the spec was recorded get the paper's values (<see cref="Paper"/>).
/// </summary>
/// <param name="FrameEncoder">Name of the frame encoder (<c>resnet18</c>, or an ONNX encoder config's name).</param>
/// <param name="MusicEncoder">Name of the music encoder (<c>musicnn</c>).</param>
/// <param name="TextEncoder">Name of the text encoder; null in a feature store (training picks it).</param>
/// <param name="Fps">Frames per second averaged into a segment's video feature.</param>
/// <param name="SegmentSeconds">Length of a segment.</param>
/// <param name="SampleRate">Rate of the mono PCM the music encoder reads.</param>
public sealed record FeatureSpec(
    [property: JsonPropertyName("frame_encoder")] string FrameEncoder,
    [property: JsonPropertyName("music_encoder")] string MusicEncoder,
    [property: JsonPropertyName("text_encoder")] string? TextEncoder,
    [property: JsonPropertyName("fps")] double Fps,
    [property: JsonPropertyName("segment_seconds")] double SegmentSeconds,
    [property: JsonPropertyName("sample_rate")] int SampleRate)
{
    /// <summary>The paper's frames per second.</summary>
    public const double PaperFps = 6;
    /// <summary>The paper's segment length.</summary>
    public const double PaperSegmentSeconds = 10;
    /// <summary>The highest frame rate a feature or a query may use.</summary>
    public const double MaxFps = 60;

    /// <summary>The paper's features: ResNet18 frames at 6 fps, musicnn at 16 kHz, MiniLM text, 10-s segments.</summary>
    public static FeatureSpec Paper { get; } = new("resnet18", "musicnn", "minilm", PaperFps, PaperSegmentSeconds, 16000);

    /// <summary>Null when <paramref name="fps"/> is a frame rate features may use, else what is wrong with it.</summary>
    public static string? FpsProblem(double fps) => fps > 0 && fps <= MaxFps ? null : $"must be in (0, {MaxFps:0}]";

    /// <summary>Throws <see cref="ConfigException"/> naming <paramref name="what"/> unless <paramref name="fps"/> is
    /// valid.</summary>
    public static void CheckFps(double fps, string what)
    {
        if (FpsProblem(fps) is { } problem) throw new ConfigException($"{what} {fps}: {problem}");
    }

    /// <summary>Throws <see cref="ConfigException"/> naming the field when a value is out of range; returns this spec.</summary>
    public FeatureSpec Validate(string where)
    {
        if (string.IsNullOrWhiteSpace(FrameEncoder) || string.IsNullOrWhiteSpace(MusicEncoder))
            throw new ConfigException($"{where}: the frame and music encoders must be named");
        if (FpsProblem(Fps) is { } fps) throw new ConfigException($"{where}: fps {Fps} {fps}");
        if (!(SegmentSeconds >= 1 && SegmentSeconds <= 3600))
            throw new ConfigException($"{where}: segment length {SegmentSeconds} s must be in [1, 3600]");
        if (SampleRate is < 1000 or > 384_000)
            throw new ConfigException($"{where}: sample rate {SampleRate} Hz must be in [1000, 384000]");
        return this;
    }

    // ---- as key / value metadata (checkpoints, the catalog's meta table) ----

    /// <summary>Metadata keys; the three encoder keys are the ones checkpoints have carried from the start.</summary>
    public const string FrameKey = "video_encoder", MusicKey = "music_encoder", TextKey = "text_encoder",
        FpsKey = "fps", SegmentKey = "segment_seconds", SampleRateKey = "sample_rate";

    /// <summary>The spec as metadata entries (the text encoder only when known).</summary>
    public Dictionary<string, string> ToMetadata()
    {
        var meta = new Dictionary<string, string>
        {
            [FrameKey] = FrameEncoder,
            [MusicKey] = MusicEncoder,
            [FpsKey] = Fps.ToString("R", CultureInfo.InvariantCulture),
            [SegmentKey] = SegmentSeconds.ToString("R", CultureInfo.InvariantCulture),
            [SampleRateKey] = SampleRate.ToString(CultureInfo.InvariantCulture),
        };
        if (TextEncoder is not null) meta[TextKey] = TextEncoder;
        return meta;
    }

    /// <summary>
    /// The spec recorded in <paramref name="meta"/>; a field that is absent (metadata written before it was recorded)
    /// takes the paper's value. A value that is present and unreadable is an error naming <paramref name="where"/>.
    /// </summary>
    public static FeatureSpec FromMetadata(IReadOnlyDictionary<string, string> meta, string where)
    {
        string Text(string key, string paper) => meta.TryGetValue(key, out var v) && v.Length > 0 ? v : paper;
        double Number(string key, double paper)
        {
            if (!meta.TryGetValue(key, out var v)) return paper;
            return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x)
                ? x : throw new InvalidInputException($"{where}: {key} '{v}' is not a number");
        }
        return new FeatureSpec(Text(FrameKey, Paper.FrameEncoder), Text(MusicKey, Paper.MusicEncoder),
            Text(TextKey, Paper.TextEncoder!), Number(FpsKey, Paper.Fps), Number(SegmentKey, Paper.SegmentSeconds),
            (int)Number(SampleRateKey, Paper.SampleRate)).Validate(where);
    }

    /// <summary>The fields <paramref name="meta"/> records (the others took the paper's value in
    /// <see cref="FromMetadata"/>).</summary>
    public static SpecFields Recorded(IReadOnlyDictionary<string, string> meta)
    {
        var fields = (SpecFields)0;
        foreach (var (key, field) in new[]
                 {
                     (FrameKey, SpecFields.FrameEncoder), (MusicKey, SpecFields.MusicEncoder), (TextKey, SpecFields.TextEncoder),
                     (FpsKey, SpecFields.Fps), (SegmentKey, SpecFields.SegmentSeconds), (SampleRateKey, SpecFields.SampleRate),
                 })
            if (meta.TryGetValue(key, out var v) && v.Length > 0) fields |= field;
        return fields;
    }

    // ---- agreement ----

    /// <summary>The fields in which <paramref name="other"/> differs from this spec, as (field, this value, other value).
    /// The text encoder is compared only when both name one; <paramref name="fields"/> limits the comparison.</summary>
    public IReadOnlyList<(string Field, string Mine, string Theirs)> Differences(FeatureSpec other,
        SpecFields fields = SpecFields.All)
    {
        var list = new List<(string, string, string)>();
        void Add(SpecFields f, string name, string a, string b)
        {
            if (fields.HasFlag(f) && a != b) list.Add((name, a, b));
        }
        Add(SpecFields.FrameEncoder, "frame encoder", FrameEncoder, other.FrameEncoder);
        Add(SpecFields.MusicEncoder, "music encoder", MusicEncoder, other.MusicEncoder);
        if (TextEncoder is not null && other.TextEncoder is not null)
            Add(SpecFields.TextEncoder, "text encoder", TextEncoder, other.TextEncoder);
        Add(SpecFields.Fps, "fps", Num(Fps), Num(other.Fps));
        Add(SpecFields.SegmentSeconds, "segment length (s)", Num(SegmentSeconds), Num(other.SegmentSeconds));
        Add(SpecFields.SampleRate, "sample rate (Hz)", Num(SampleRate), Num(other.SampleRate));
        return list;
    }

    /// <summary>
    /// Throws <see cref="InvalidInputException"/> when <paramref name="other"/> differs in one of
    /// <paramref name="fields"/>, naming both parts and both values, e.g. "store/ was made with fps 6, model m with fps 2".
    /// </summary>
    public void RefuseMismatch(FeatureSpec other, string mine, string theirs, string? advice = null,
        SpecFields fields = SpecFields.All)
    {
        var diff = Differences(other, fields);
        if (diff.Count == 0) return;
        string values = string.Join("; ", diff.Select(d => $"{d.Field} '{d.Mine}' in {mine}, '{d.Theirs}' in {theirs}"));
        throw new InvalidInputException($"{mine} and {theirs} were made with other settings: {values}"
                                        + (advice is null ? "" : $"; {advice}"));
    }

    /// <summary>
    /// Throws, naming both values, when the spec recorded in <paramref name="recorded"/> (a checkpoint's or a
    /// catalog's metadata) differs from <paramref name="actual"/> in a field it records; fields it does not record
    /// (metadata written before they were) are not compared.
    /// </summary>
    public static void RefuseRecorded(IReadOnlyDictionary<string, string> recorded, FeatureSpec actual, string mine,
        string theirs, string? advice = null)
    {
        var spec = FromMetadata(recorded, mine);
        spec.RefuseMismatch(actual, mine, theirs, advice, Recorded(recorded));
    }

    static string Num(double x) => x.ToString("0.######", CultureInfo.InvariantCulture);
}

/// <summary>Fields of a <see cref="FeatureSpec"/>, for comparing only those that matter to a part.</summary>
[Flags]
public enum SpecFields
{
    FrameEncoder = 1, MusicEncoder = 2, TextEncoder = 4, Fps = 8, SegmentSeconds = 16, SampleRate = 32,
    /// <summary>What a music segment's base feature depends on.</summary>
    Music = MusicEncoder | SegmentSeconds | SampleRate,
    All = FrameEncoder | MusicEncoder | TextEncoder | Fps | SegmentSeconds | SampleRate,
}
