using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Viml.Tests.Catalog;

namespace Viml.Tests.Web;

public class SkippedSegmentsWebTests
{
    /// <summary>A video whose frames stop for minutes: the answer lists the segments left out, as the command line's
    /// note does, and is made of the others.</summary>
    [Fact]
    public async Task The_answer_lists_the_segments_of_a_long_gap_between_frames()
    {
        await using var s = await TestServer.StartAsync();
        string video = Path.Combine(s.Root, "gappy.mp4");
        TestParts.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=32x24:rate=1:duration=300", "-vf", "select='lt(t,20)+gte(t,280)'",
            "-fps_mode", "vfr", "-pix_fmt", "yuv420p", video);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(video));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "video", "gappy.mp4");
        var res = await s.Http.PostAsync("/api/recommend", form);
        string body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == HttpStatusCode.OK, body);

        var root = JsonDocument.Parse(body).RootElement;
        var skipped = root.GetProperty("skippedSegments").EnumerateArray().ToList();
        Assert.NotEmpty(skipped);
        Assert.All(skipped, g => Assert.InRange(g.GetProperty("start").GetDouble(), 20, 279));
        Assert.InRange(root.GetProperty("videoSegments").GetInt32() + skipped.Count, 2, root.GetProperty("sampledFrom").GetInt32());
        Assert.NotEmpty(root.GetProperty("results").EnumerateArray());
    }

    /// <summary>A video with frames everywhere has an empty list, not a missing field.</summary>
    [Fact]
    public async Task A_video_with_frames_throughout_has_none()
    {
        await using var s = await TestServer.StartAsync();
        string video = TestParts.Video(Path.Combine(s.Root, "clip.mp4"), 11);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(video));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "video", "clip.mp4");
        var res = await s.Http.PostAsync("/api/recommend", form);
        string body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == HttpStatusCode.OK, body);
        Assert.Empty(JsonDocument.Parse(body).RootElement.GetProperty("skippedSegments").EnumerateArray());
    }
}
