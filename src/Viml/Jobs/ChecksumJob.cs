using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Viml.IO;

namespace Viml.Jobs;

/// <summary>
/// The <c>checksum</c> job kind: SHA-256 of one file, written atomically to
/// <c>{out}/{key}.sha256</c> as <c>"hex  path"</c> (the <c>sha256sum</c> format). Cheap, real and
/// idempotent, it checks that a cluster of workers sees the same files and finishes every job.
/// <c>hold_ms</c> keeps the job running that much longer, to stand in for slow work.
/// </summary>
public static class ChecksumJob
{
    public const string Kind = "checksum";

    public sealed record Input(
        [property: JsonPropertyName("file")] string File,
        [property: JsonPropertyName("out")] string Out,
        [property: JsonPropertyName("hold_ms")] int HoldMs = 0);

    public static Job Create(string file, string outDir, int holdMs = 0)
    {
        string full = Path.GetFullPath(file);
        return JobInput.Create(Kind, full, new Input(full, Path.GetFullPath(outDir), holdMs));
    }

    /// <summary>Where the result of checksumming <paramref name="file"/> goes.</summary>
    public static string ResultPath(string outDir, string file) => JobInput.ResultPath(outDir, file, ".sha256");

    public static void Run(Job job, CancellationToken ct)
    {
        var input = JobInput.Read<Input>(job);
        if (!File.Exists(input.File)) throw new InvalidInputException($"{input.File}: no such file");
        byte[] hash;
        using (var fs = new FileStream(input.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            hash = SHA256.HashData(fs);
        if (input.HoldMs > 0 && ct.WaitHandle.WaitOne(input.HoldMs)) ct.ThrowIfCancellationRequested();
        AtomicFile.WriteAllText(ResultPath(input.Out, input.File), $"{Convert.ToHexStringLower(hash)}  {input.File}\n");
    }
}
