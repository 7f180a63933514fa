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

    public sealed record Input(
        [property: JsonPropertyName("item")] ManifestItem Item,
        [property: JsonPropertyName("store")] string Store,
        [property: JsonPropertyName("fps")] double Fps);

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A job for one item; paths are made absolute (the workers must see the same paths, e.g. a shared mount).</summary>
    public static Job Create(ManifestItem item, string store, double fps)
    {
        var absolute = item with { Video = Path.GetFullPath(item.Video), Audio = item.Audio is null ? null : Path.GetFullPath(item.Audio) };
        return new Job(Kind, item.Id, JsonSerializer.Serialize(new Input(absolute, Path.GetFullPath(store), fps), Json));
    }

    public static Input Read(Job job)
    {
        try { return JsonSerializer.Deserialize<Input>(job.Input, Json) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new InvalidInputException($"features job {job.Key}: malformed input ({e.Message})", e); }
    }

    /// <summary>
    /// The handler: <paramref name="extractorFor"/> gives an extractor for a frame rate (built once per
    /// worker: loading the encoders is the slow part).
    /// </summary>
    public static JobHandler Handler(Func<double, Extractor> extractorFor) => (job, ct) =>
    {
        var input = Read(job);
        var extractor = extractorFor(input.Fps);
        var store = FeatureStore.OpenOrCreate(input.Store, extractor.StoreInfo);
        if (store.Contains(input.Item.Id)) return;
        store.Write(extractor.Extract(input.Item, ct));
    };
}
