using Viml.Media;

namespace Viml.Tests.Media;

public class ProbeTests
{
    [Fact]
    public void Probe_reports_duration_streams_fps_and_sample_rate()
    {
        var info = MediaProbe.Probe(MediaCorpus.MusicVideo);
        Assert.InRange(info.Duration, 3.9, 4.1);
        Assert.NotNull(info.Video);
        Assert.Equal((64, 48), (info.Video!.Width, info.Video.Height));
        Assert.Equal(25, info.Video.Fps, 3);
        Assert.Equal("h264", info.Video.Codec);
        Assert.NotNull(info.Audio);
        Assert.Equal(44100, info.Audio!.SampleRate);
        Assert.Equal(1, info.Audio.Channels);
        Assert.Equal("aac", info.Audio.Codec);
    }

    [Fact]
    public void Probe_of_audio_alone_has_no_video_and_of_video_alone_no_audio()
    {
        var a = MediaProbe.Probe(MediaCorpus.AudioOnly);
        Assert.Null(a.Video);
        Assert.NotNull(a.Audio);
        var v = MediaProbe.Probe(MediaCorpus.VideoOnly);
        Assert.Null(v.Audio);
        Assert.Equal(6, v.Video!.Fps, 3);
    }
}

public class FrameDecoderTests
{
    [Fact]
    public void Decodes_six_frames_per_second_at_the_requested_size()
    {
        var frames = FrameDecoder.Decode(MediaCorpus.MusicVideo, 6, 32, 24).ToList();
        Assert.Equal(24, frames.Count); // 4 s at 6 fps
        Assert.All(frames, f => Assert.Equal((32, 24, 32 * 24 * 3), (f.Width, f.Height, f.Pixels.Length)));
        // testsrc moves: consecutive frames differ
        Assert.False(frames[0].Pixels.Span.SequenceEqual(frames[12].Pixels.Span));
    }

    [Fact]
    public void Start_and_end_clip_the_frames_and_the_picture_matches_the_time()
    {
        // colours.mp4 is red 0-10 s, blue 10-20 s, green 20-25 s
        var frames = FrameDecoder.Decode(MediaCorpus.Colours, 2, 16, 16, start: 8, end: 12).ToList();
        Assert.Equal(8, frames.Count); // 4 s at 2 fps: times 8, 8.5, ..., 11.5
        var first = MeanRgb(frames[0]);
        var last = MeanRgb(frames[^1]);
        Assert.True(first.R > 200 && first.B < 60, $"frame at 8 s should be red, got {first}");
        Assert.True(last.B > 200 && last.R < 60, $"frame at 11.5 s should be blue, got {last}");
    }

    [Fact]
    public void Wide_frames_are_centre_cropped_not_stretched()
    {
        // testsrc at 64x48 scaled to 16x16: the crop keeps the middle 48x48; the frame is still full of picture
        var f = FrameDecoder.Decode(MediaCorpus.MusicVideo, 1, 16, 16).First();
        Assert.Equal(16 * 16 * 3, f.Pixels.Length);
    }

    [Fact]
    public void Cancelling_stops_ffmpeg_and_throws()
    {
        using var cts = new CancellationTokenSource();
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in FrameDecoder.Decode(MediaCorpus.Colours, 6, 64, 48, ct: cts.Token))
                if (++seen == 3) cts.Cancel();
        });
        Assert.InRange(seen, 3, 20);
    }

    internal static (double R, double G, double B) MeanRgb(RgbFrame f)
    {
        var p = f.Pixels.Span;
        double r = 0, g = 0, b = 0;
        for (int i = 0; i < p.Length; i += 3) { r += p[i]; g += p[i + 1]; b += p[i + 2]; }
        int n = p.Length / 3;
        return (r / n, g / n, b / n);
    }
}

public class AudioDecoderTests
{
    [Fact]
    public void Decodes_mono_at_16_kHz_with_the_exact_sample_count()
    {
        var pcm = AudioDecoder.DecodeMono(MediaCorpus.Wav, 16000);
        Assert.Equal(32000, pcm.Length); // 2 s
        double rms = Math.Sqrt(pcm.Average(x => (double)x * x));
        Assert.InRange(rms, 0.5 / Math.Sqrt(2) * 0.95, 0.5 / Math.Sqrt(2) * 1.05);
        Assert.InRange(ZeroCrossingHz(pcm, 16000), 430, 450);
    }

    [Fact]
    public void Resamples_and_clips_by_start_and_end()
    {
        var pcm = AudioDecoder.DecodeMono(MediaCorpus.MusicVideo, 16000, start: 1, end: 3);
        Assert.InRange(pcm.Length, 31680, 32320); // 2 s at 16 kHz, within 1% (AAC frames)
        Assert.InRange(ZeroCrossingHz(pcm, 16000), 430, 450);
        var pcm8 = AudioDecoder.DecodeMono(MediaCorpus.Wav, 8000, start: 0.5);
        Assert.Equal(12000, pcm8.Length); // 1.5 s at 8 kHz
    }

    [Fact]
    public void The_silent_middle_of_a_clip_decodes_as_silence()
    {
        var pcm = AudioDecoder.DecodeMono(MediaCorpus.Colours, 16000, start: 12, end: 18);
        Assert.InRange(pcm.Length, 95000, 97000);
        Assert.True(pcm.Max(Math.Abs) < 0.01, "10-20 s of colours.mp4 is silent");
    }

    static double ZeroCrossingHz(float[] pcm, int rate)
    {
        int crossings = 0;
        for (int i = 1; i < pcm.Length; i++) if (pcm[i - 1] < 0 && pcm[i] >= 0) crossings++;
        return crossings / ((double)pcm.Length / rate);
    }
}

public class SegmenterTests
{
    [Theory]
    [InlineData(0, 30, new[] { 0.0, 10, 20 }, 30)]      // whole segments only
    [InlineData(0, 25, new[] { 0.0, 10, 20 }, 25)]      // a 5-s tail is kept
    [InlineData(0, 24.9, new[] { 0.0, 10 }, 20)]        // a 4.9-s tail is dropped
    [InlineData(0, 8, new[] { 0.0 }, 8)]                // shorter than a segment: one segment
    [InlineData(0, 1, new[] { 0.0 }, 1)]                // the shortest item
    [InlineData(5, 40, new[] { 5.0, 15, 25, 35 }, 40)]  // clips start where they say
    [InlineData(0, 29.9999999, new[] { 0.0, 10, 20 }, 29.9999999)]
    public void Splits_by_the_ten_second_rule(double start, double end, double[] starts, double lastEnd)
    {
        var s = Segmenter.Split(start, end);
        Assert.Equal(starts, s.Select(x => x.Start).ToArray());
        Assert.Equal(lastEnd, s[^1].End, 6);
        for (int i = 0; i + 1 < s.Count; i++) Assert.Equal(s[i].End, s[i + 1].Start);
    }

    [Fact]
    public void Other_segment_lengths_keep_a_tail_of_half_a_segment()
    {
        Assert.Equal(3, Segmenter.Split(0, 5, 2).Count);   // 0-2, 2-4, 4-5
        Assert.Equal(2, Segmenter.Split(0, 4.9, 2).Count); // 0.9-s tail dropped
    }

    [Fact]
    public void Less_than_a_second_is_too_short()
    {
        var e = Assert.Throws<MediaException>(() => Segmenter.Split(3, 3.2, path: "x.mp4"));
        Assert.Equal("x.mp4", e.Path);
        Assert.Contains("too short (0.2 s", e.Message);
    }
}
