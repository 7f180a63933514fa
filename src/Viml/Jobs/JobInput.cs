using System.Text.Json;

namespace Viml.Jobs;

/// <summary>
/// What every job kind does with its input: serialise it into a <see cref="Job"/>, read it back in the handler
/// (malformed input is the job's error, naming its kind and key), and place a per-file result under a folder.
/// </summary>
static class JobInput
{
    public static Job Create<T>(string kind, string key, T input, JsonSerializerOptions? json = null) =>
        new(kind, key, JsonSerializer.Serialize(input, json));

    public static T Read<T>(Job job, JsonSerializerOptions? json = null)
    {
        try { return JsonSerializer.Deserialize<T>(job.Input, json) ?? throw new JsonException("null"); }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{job.Kind} job {job.Key}: malformed input ({e.Message})", e);
        }
    }

    /// <summary><c>{folder}/{key of the file's absolute path}{extension}</c>: one result per input file.</summary>
    public static string ResultPath(string folder, string file, string extension) =>
        Path.Combine(folder, Viml.Features.FeatureStore.FileKey(Path.GetFullPath(file)) + extension);
}
