namespace Viml.Catalog;

/// <summary>Where catalog ingest gets a file's sound: mono PCM at a given rate.</summary>
public interface IAudioSource
{
    /// <summary>The whole file's first audio stream as mono samples at <paramref name="sampleRate"/>.</summary>
    float[] DecodeMono(string path, int sampleRate, CancellationToken ct);
}
