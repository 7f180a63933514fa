using Viml.Media;

namespace Viml.Tests.Media;

/// <summary>Each bad file gives a <see cref="MediaException"/> naming the file and saying what is wrong.</summary>
public class BadInputTests
{
    static MediaException Fails(string path, Action act, string problem)
    {
        var e = Assert.Throws<MediaException>(act);
        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(problem, e.Problem);
        return e;
    }

    [Fact]
    public void Missing_path() => Fails(MediaCorpus.Missing, () => MediaProbe.Probe(MediaCorpus.Missing), "does not exist");

    [Fact]
    public void Folder_instead_of_a_file() => Fails(MediaCorpus.Dir, () => MediaProbe.Probe(MediaCorpus.Dir), "is a folder");

    [Fact]
    public void Zero_byte_file() => Fails(MediaCorpus.ZeroBytes, () => MediaProbe.Probe(MediaCorpus.ZeroBytes), "empty file (0 bytes)");

    [Fact]
    public void Random_bytes_with_a_video_extension() =>
        Fails(MediaCorpus.RandomBytes, () => MediaProbe.Probe(MediaCorpus.RandomBytes), "truncated or corrupt: ");

    [Fact]
    public void Truncated_mp4_without_its_index()
    {
        var e = Fails(MediaCorpus.Truncated, () => MediaProbe.Probe(MediaCorpus.Truncated), "truncated or corrupt: ");
        Assert.Contains("moov atom not found", e.Problem); // ffmpeg's own words, without its "[mov,mp4 @ 0x…]" prefix
        Assert.DoesNotContain("@ 0x", e.Problem);
    }

    [Fact]
    public void Truncated_mp4_that_still_probes_fails_when_decoded()
    {
        var info = MediaProbe.Probe(MediaCorpus.TruncatedFastStart);
        Assert.InRange(info.Duration, 3.9, 4.1); // the index still says 4 s
        var e = Fails(MediaCorpus.TruncatedFastStart, () => _ = FrameDecoder.Decode(info, 6, 32, 24).ToList(), "truncated or corrupt: video ends at ");
        Fails(MediaCorpus.TruncatedFastStart, () => AudioDecoder.DecodeMono(info, 16000), "truncated or corrupt: audio ends at ");
    }

    [Fact]
    public void Video_without_audio() =>
        Fails(MediaCorpus.VideoOnly, () => AudioDecoder.DecodeMono(MediaCorpus.VideoOnly, 16000), "no audio stream");

    [Fact]
    public void Audio_without_video() =>
        Fails(MediaCorpus.AudioOnly, () => FrameDecoder.Decode(MediaCorpus.AudioOnly, 6, 32, 32), "no video stream");

    [Fact]
    public void One_pixel_frames() =>
        Fails(MediaCorpus.OnePixel, () => MediaProbe.Probe(MediaCorpus.OnePixel), "frame size 1x1 is below the minimum 16x16");

    [Fact]
    public void Huge_frames_are_refused_at_probe_time() =>
        Fails(MediaCorpus.Huge, () => MediaProbe.Probe(MediaCorpus.Huge), "frame size 8000x8000 exceeds the limit");

    [Fact]
    public void A_fifth_of_a_second_decodes_but_is_too_short_to_segment()
    {
        var info = MediaProbe.Probe(MediaCorpus.TooShort);
        Assert.InRange(info.Duration, 0.15, 0.3);
        Fails(MediaCorpus.TooShort, () => Segmenter.Split(0, info.Duration, path: MediaCorpus.TooShort), "too short");
    }

    [Fact]
    public void A_clip_past_the_end_of_the_file()
    {
        Fails(MediaCorpus.Wav, () => AudioDecoder.DecodeMono(MediaCorpus.Wav, 16000, start: 5), "start 5 s is past the end of the media (2 s)");
        Fails(MediaCorpus.Wav, () => AudioDecoder.DecodeMono(MediaCorpus.Wav, 16000, end: 9), "end 9 s is past the end of the media");
    }
}
