using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Viml.Catalog;
using Viml.Tests.Catalog;

namespace Viml.Tests.Web;

public class ServeFollowsTheCatalogTests
{
    static async Task<long[]> RecommendedIds(TestServer s, string video)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(video));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "video", "clip.mp4");
        form.Add(new StringContent("50"), "top");
        var res = await s.Http.PostAsync("/api/recommend", form);
        string body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("trackId").GetInt64()).Order().ToArray();
    }

    [Fact]
    public async Task Tracks_added_to_the_catalog_while_the_server_runs_are_recommended()
    {
        await using var s = await TestServer.StartAsync();
        var video = TestParts.Video(Path.Combine(s.Root, "clip.mp4"), 11);
        var before = await RecommendedIds(s, video);
        Assert.Single(before);

        // another process (here: another catalog object on the same folder) adds two tracks
        var more = Directory.CreateDirectory(Path.Combine(s.Root, "more")).FullName;
        TestParts.Tone(Path.Combine(more, "two.ogg"), 0, 12);
        TestParts.Tone(Path.Combine(more, "three.flac"), 220, 9);
        var parts = TestParts.Create();
        new CatalogIngest(MusicCatalog.Open(s.CatalogRoot), parts).Add(CatalogIngest.FindAudio([more]));

        var listed = JsonDocument.Parse(await s.Http.GetStringAsync("/api/tracks")).RootElement
            .EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).Order().ToArray();
        Assert.Equal(3, listed.Length);
        Assert.Equal(listed, await RecommendedIds(s, video));

        // and removed ones are no longer returned
        Assert.True(MusicCatalog.Open(s.CatalogRoot).Remove(Path.Combine(more, "two.ogg")));
        Assert.Equal(2, (await RecommendedIds(s, video)).Length);
    }
}
