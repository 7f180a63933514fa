using Viml.Media;

namespace Viml.Catalog;

/// <summary>The real audio source: ffmpeg through <see cref="AudioDecoder"/>.</summary>
public sealed class FfmpegAudio : IAudioSource
{
    public float[] DecodeMono(string path, int sampleRate, CancellationToken ct) =>
        AudioDecoder.DecodeMono(path, sampleRate, ct: ct);
}
