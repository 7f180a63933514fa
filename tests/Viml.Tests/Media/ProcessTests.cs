using Viml.Media;

namespace Viml.Tests.Media;

[CollectionDefinition(nameof(MediaProgramsCollection), DisableParallelization = true)]
public sealed class MediaProgramsCollection;

/// <summary>
/// Runs with other ffmpeg programs in place (VIML_FFMPEG / VIML_FFPROBE), so alone: the collection is not
/// run in parallel with any other test.
/// </summary>
[Collection(nameof(MediaProgramsCollection))]
public sealed class ProcessTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-process-").FullName;
    readonly TimeSpan _idle = MediaLimits.DecodeIdleTimeout;

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("VIML_FFMPEG", null);
        Environment.SetEnvironmentVariable("VIML_FFPROBE", null);
        MediaLimits.DecodeIdleTimeout = _idle;
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public void A_stalled_ffmpeg_is_stopped_and_named()
    {
        var info = MediaProbe.Probe(MediaCorpus.MusicVideo);
        string fake = Path.Combine(_dir, "ffmpeg-that-hangs");
        File.WriteAllText(fake, "#!/bin/sh\nexec sleep 600\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Environment.SetEnvironmentVariable("VIML_FFMPEG", fake);
        MediaLimits.DecodeIdleTimeout = TimeSpan.FromSeconds(1);

        var e = Assert.Throws<MediaException>(() => AudioDecoder.DecodeMono(info, 16000));
        Assert.Equal(MediaCorpus.MusicVideo, e.Path);
        Assert.Contains("ffmpeg-that-hangs stalled (no output for 1 s) and was stopped", e.Problem);
        Assert.Throws<MediaException>(() => FrameDecoder.Decode(info, 6, 16, 16).ToList());
    }

    [Fact]
    public void Leaving_a_frame_stream_early_stops_ffmpeg()
    {
        var info = MediaProbe.Probe(MediaCorpus.Colours);
        Assert.Equal(0, MediaProcess.Live);
        using (var frames = FrameDecoder.Decode(info, 6, 64, 48).GetEnumerator())
        {
            Assert.True(frames.MoveNext());
            Assert.Equal(1, MediaProcess.Live); // ffmpeg is running, blocked on the pipe
        }
        Assert.Equal(0, MediaProcess.Live);     // disposing the enumerator killed and reaped it
        Assert.Equal(2, FrameDecoder.Decode(info, 6, 64, 48).Take(2).Count());
        Assert.Equal(0, MediaProcess.Live);
    }

    [Fact]
    public void A_missing_ffprobe_says_how_to_install_it()
    {
        Environment.SetEnvironmentVariable("VIML_FFPROBE", Path.Combine(_dir, "no-ffprobe"));
        var e = Assert.Throws<VimlException>(() => MediaProbe.Probe(MediaCorpus.MusicVideo));
        Assert.Contains("cannot run", e.Message);
        Assert.Contains("apt-get install ffmpeg", e.Message);
    }
}
