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

    /// <summary>A job's input. <see cref="FrameEncoder"/> is absent from jobs queued before it was carried: resnet18.</summary>
    public sealed record Input(
        [property: JsonPropertyName("item")] ManifestItem Item,
        [property: JsonPropertyName("store")] string Store,
        [property: JsonPropertyName("fps")] double Fps,
        [property: JsonPropertyName("frame_encoder")] string? FrameEncoder = null)
    {
        /// <summary>What the worker's extractor must use; every setting that changes the features is here.</summary>
        public ExtractionSettings Settings => new(Fps, FrameEncoder ?? DefaultFrameEncoder);
    }

    /// <summary>The settings an extraction's features depend on: the frame rate and the frame encoder (a built-in
    /// name or the absolute path of an ONNX encoder config, which every worker must see at that path).</summary>
    public sealed record ExtractionSettings(double Fps, string FrameEncoder);

    public const string DefaultFrameEncoder = "resnet18";

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A job for one item; paths are made absolute (the workers must see the same paths, e.g. a shared mount),
    /// and so is <paramref name="frameEncoder"/> when it names an ONNX encoder config rather than a built-in encoder.</summary>
    public static Job Create(ManifestItem item, string store, double fps, string frameEncoder = DefaultFrameEncoder)
    {
        var absolute = item with { Video = Path.GetFullPath(item.Video), Audio = item.Audio is null ? null : Path.GetFullPath(item.Audio) };
        var input = new Input(absolute, Path.GetFullPath(store), fps, FrameEncoderSpec(frameEncoder));
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
    /// </summary>
    public static JobHandler Handler(Func<ExtractionSettings, Extractor> extractorFor) => (job, ct) =>
    {
        var input = Read(job);
        var extractor = extractorFor(input.Settings);
        var store = FeatureStore.OpenOrCreate(input.Store, extractor.StoreInfo);
        if (store.Contains(input.Item.Id)) return;
        store.Write(extractor.Extract(input.Item, ct));
    };
}
