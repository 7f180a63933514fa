using Viml.Catalog;

namespace Viml.Tests.Catalog;

public class VideoGapTests
{
    /// <summary>The hostile-use case "no frames decoded in 5880-5890 s": a long video whose frames stop for minutes.
    /// The sampled segments inside the gap are left out (and listed); the query is made of the others.</summary>
    [Fact]
    public void Segments_in_a_long_gap_between_frames_are_left_out_and_listed()
    {
        var dir = Directory.CreateTempSubdirectory("viml-gap-").FullName;
        try
        {
            // 300 s at 1 fps with frames only in 0-20 s and 280-300 s: 30 segments, 18 sampled, most in the gap
            string video = Path.Combine(dir, "gappy.mp4");
            TestParts.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=32x24:rate=1:duration=300", "-vf", "select='lt(t,20)+gte(t,280)'",
                "-fps_mode", "vfr", "-pix_fmt", "yuv420p", video);
            var e = new VideoQuery(TestParts.Query()).Embed(video, null);

            Assert.Equal(30, e.SampledFrom);
            Assert.NotEmpty(e.EmptySegments);
            Assert.All(e.EmptySegments, s => Assert.InRange(s.Start, 20, 279));
            Assert.Equal(18, e.VideoSegments + e.EmptySegments.Count);
            Assert.InRange(e.VideoSegments, 2, 17);
            Assert.All(e.Vector, v => Assert.True(float.IsFinite(v)));
        }
        finally { Directory.Delete(dir, true); }
    }
}
