using System.Text.Json;
using System.Text.Json.Serialization;
using Viml.Catalog;
using Viml.IO;

namespace Viml.Jobs;

/// <summary>
/// The <c>catalog</c> job kind: analyse one audio file for a catalog (decode, segment, musicnn features and
/// tags, the model's music embeddings) and write the track record atomically to
/// <c>&lt;catalog&gt;/incoming/&lt;key&gt;.json</c>. The workers never open the catalog database: the client that
/// enqueued the jobs is its single writer and puts the records as they arrive (<see cref="Collect"/>).
/// A job done twice rewrites the same record; a record already there for the file's content and the model
/// is kept.
/// </summary>
public static class CatalogJob
{
    public const string Kind = "catalog";

    public sealed record Input(
        [property: JsonPropertyName("file")] string File,
        [property: JsonPropertyName("catalog")] string Catalog,
        [property: JsonPropertyName("model")] string Model);

    public static Job Create(string file, string catalog, string model)
    {
        string full = Path.GetFullPath(file);
        return JobInput.Create(Kind, full, new Input(full, Path.GetFullPath(catalog), Path.GetFullPath(model)));
    }

    public static string ResultPath(string catalog, string file) => JobInput.ResultPath(Path.Combine(catalog, "incoming"), file, ".json");

    /// <summary>The handler; <paramref name="partsFor"/> gives the ingest parts for a checkpoint folder (built once per worker).</summary>
    public static JobHandler Handler(Func<string, IngestParts> partsFor) => (job, ct) =>
    {
        var input = JobInput.Read<Input>(job);
        var parts = partsFor(input.Model);
        string result = ResultPath(input.Catalog, input.File);
        if (Read(result) is { } done && done.ModelId == parts.Model.Id && File.Exists(input.File) && done.Hash == CatalogIngest.Hash(input.File)) return;
        var record = CatalogIngest.AnalyseFile(parts, input.File, ct);
        AtomicFile.WriteAllText(result, JsonSerializer.Serialize(record));
    };

    static TrackRecord? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<TrackRecord>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }   // unreadable: analysed again
    }

    /// <summary>Puts the records the workers wrote for <paramref name="files"/> into the catalog and removes them from <c>incoming/</c>; returns how many.</summary>
    public static int Collect(MusicCatalog catalog, IEnumerable<string> files)
    {
        int n = 0;
        foreach (var f in files)
        {
            string path = ResultPath(catalog.Root, f);
            if (Read(path) is not { } record) continue;
            if (record.ModelId != catalog.Info.ModelId) continue;
            catalog.Put(record);
            File.Delete(path);
            n++;
        }
        return n;
    }
}
