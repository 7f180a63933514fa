using Viml.Catalog;

namespace Viml.Tests.Catalog;

public class VideoQueryTests
{
    [Fact]
    public void Sampling_keeps_short_videos_whole_and_spreads_long_ones()
    {
        Assert.Equal(Enumerable.Range(0, 5), VideoQuery.Sample(5));
        Assert.Equal(Enumerable.Range(0, 18), VideoQuery.Sample(18));
        var s = VideoQuery.Sample(720);           // a 2-hour film
        Assert.Equal(18, s.Length);
        Assert.Equal(0, s[0]);
        Assert.Equal(719, s[^1]);
        var gaps = s.Zip(s.Skip(1), (a, b) => b - a).ToArray();
        Assert.All(gaps, g => Assert.InRange(g, 42, 43));
        Assert.Equal(s.Length, s.Distinct().Count());
    }

    [Fact]
    public void A_long_video_is_embedded_from_18_sampled_segments_and_text_only_uses_the_text_branch()
    {
        var dir = Directory.CreateTempSubdirectory("viml-query-").FullName;
        try
        {
            var video = Path.Combine(dir, "long.mp4");
            TestParts.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=32x24:rate=2:duration=195", "-pix_fmt", "yuv420p", video);
            var q = new VideoQuery(TestParts.Query(textOnly: true));
            var e = q.Embed(video, null);
            Assert.Equal(18, e.VideoSegments);
            Assert.Equal(20, e.SampledFrom);      // 19 full segments + a 5-s tail
            Assert.False(e.TextUsed);
            Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm<float>(e.Vector), 3);
            // the text steers the fused query
            var clip = TestParts.Video(Path.Combine(dir, "short.mp4"), 6);
            e = q.Embed(clip, "");
            Assert.Equal(1, e.VideoSegments);
            var withText = q.Embed(clip, "calm strings");
            Assert.True(withText.TextUsed);
            Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity<float>(e.Vector, withText.Vector) < 0.9999f);
            // text only: no frames decoded, the text branch answers
            var t = q.Embed(null, "calm strings");
            Assert.Equal(0, t.VideoSegments);
            Assert.Equal(TimeSpan.Zero, t.Timings.Decode);
            Assert.Throws<InvalidInputException>(() => q.Embed(null, "  "));
            Assert.Throws<InvalidInputException>(() => new VideoQuery(TestParts.Query()).Embed(null, "calm"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
