using System.Text.Json;
using System.Text.Json.Serialization;
using Viml.Features;

namespace Viml.Jobs;

/// <summary>
/// The <c>features</c> job kind: extract one manifest item into a feature store, as <c>viml features</c>
/// does locally. The item is written atomically under its id (<see cref="FeatureStore"/>), so a job done
/// twice leaves one item; an item already in the store is not extracted again.
/// </summary>
public static class FeaturesJob
{
    public const string Kind = "features";

    /// <summary>A job's input. <see cref="Spec"/> is absent from jobs queued before it was carried: the paper's
    /// features with the job's <see cref="Fps"/> and <see cref="FrameEncoder"/> (itself absent before it was carried:
    /// resnet18). <see cref="Fps"/> and <see cref="FrameEncoder"/> are still written, for workers of earlier versions.</summary>
    public sealed record Input(
        [property: JsonPropertyName("item")] ManifestItem Item,
        [property: JsonPropertyName("store")] string Store,
        [property: JsonPropertyName("fps")] double Fps,
        [property: JsonPropertyName("frame_encoder")] string? FrameEncoder = null,
        [property: JsonPropertyName("spec")] FeatureSpec? Spec = null)
    {
        /// <summary>What the worker's extractor must make: every setting that changes the features. Its frame encoder
        /// is a built-in name or the absolute path of an ONNX encoder config, which every worker must see at that path.</summary>
        public FeatureSpec Settings => Spec
            ?? FeatureSpec.Paper with { FrameEncoder = FrameEncoder ?? DefaultFrameEncoder, TextEncoder = null, Fps = Fps };
    }

    public const string DefaultFrameEncoder = "resnet18";

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A job for one item; paths are made absolute (the workers must see the same paths, e.g. a shared mount),
    /// and so is <paramref name="frameEncoder"/> when it names an ONNX encoder config rather than a built-in encoder.</summary>
    public static Job Create(ManifestItem item, string store, double fps, string frameEncoder = DefaultFrameEncoder) =>
        Create(item, store, FeatureSpec.Paper with { Fps = fps, FrameEncoder = frameEncoder, TextEncoder = null });

    /// <summary>A job for one item that must be extracted as <paramref name="spec"/> says; its frame encoder is a
    /// built-in name or the path of an ONNX encoder config (made absolute).</summary>
    public static Job Create(ManifestItem item, string store, FeatureSpec spec)
    {
        spec = (spec with { FrameEncoder = FrameEncoderSpec(spec.FrameEncoder), TextEncoder = null }).Validate("features job");
        var absolute = item with { Video = Path.GetFullPath(item.Video), Audio = item.Audio is null ? null : Path.GetFullPath(item.Audio) };
        var input = new Input(absolute, Path.GetFullPath(store), spec.Fps, spec.FrameEncoder, spec);
        return JobInput.Create(Kind, item.Id, input, Json);
    }

    /// <summary>A built-in encoder's name as is; anything else is a config file that must exist, made absolute.</summary>
    public static string FrameEncoderSpec(string frameEncoder)
    {
        var builtIn = Encoders.EncoderRegistry.FrameEncoders;
        if (builtIn.Contains(frameEncoder, StringComparer.OrdinalIgnoreCase)) return frameEncoder.ToLowerInvariant();
        if (!File.Exists(frameEncoder))
            throw new ConfigException($"unknown frame encoder '{frameEncoder}': use {string.Join(" or ", builtIn)}, " +
                                      "or the path of an ONNX encoder config (.json, docs/encoders.md)");
        return Path.GetFullPath(frameEncoder);
    }

    public static Input Read(Job job) => JobInput.Read<Input>(job, Json);

    /// <summary>
    /// The handler: <paramref name="extractorFor"/> gives an extractor for the job's settings, frame encoder included
    /// (built once per worker and settings: loading the encoders is the slow part), or throws when it cannot.
    /// An extractor that would make other features than the job's spec (another music encoder or rate) is refused.
    /// </summary>
    public static JobHandler Handler(Func<FeatureSpec, Extractor> extractorFor) => (job, ct) =>
    {
        var input = Read(job);
        var extractor = extractorFor(input.Settings);
        input.Settings.RefuseMismatch(extractor.Spec, $"features job {job.Key}", "this worker's extractor", null,
            SpecFields.All & ~SpecFields.FrameEncoder & ~SpecFields.TextEncoder);
        var store = FeatureStore.OpenOrCreate(input.Store, extractor.StoreInfo);
        if (store.Contains(input.Item.Id)) return;
        store.Write(extractor.Extract(input.Item, ct));
    };
}
