using System.Net;
using System.Text.Json;

namespace Viml.Tests.Web;

public class FormErrorsTests
{
    static async Task<(HttpStatusCode Status, string Detail)> Post(TestServer s, HttpContent content)
    {
        var res = await s.Http.PostAsync("/api/recommend", content);
        string body = await res.Content.ReadAsStringAsync();
        Assert.True(body.Length > 0, $"{res.StatusCode} with an empty body");
        return (res.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task Too_many_fields_are_named_as_such_not_as_a_large_video()
    {
        await using var s = await TestServer.StartAsync();
        using var multipart = new MultipartFormDataContent { { new StringContent("rock"), "text" } };
        for (int i = 0; i < 2000; i++) multipart.Add(new StringContent($"t{i}"), "tag");
        var (status, detail) = await Post(s, multipart);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("more than 1024 fields", detail);
        Assert.DoesNotContain("MiB", detail);

        using var longField = new MultipartFormDataContent { { new StringContent(new string('a', 70_000)), "text" } };
        var (status3, detail3) = await Post(s, longField);
        Assert.Equal(HttpStatusCode.BadRequest, status3);
        Assert.Contains("text: longer than 64 KiB", detail3);
    }

    [Fact]
    public async Task An_upload_cut_by_the_timeout_gets_408_naming_the_timeout()
    {
        await using var s = await TestServer.StartAsync(o => o with { UploadGrace = TimeSpan.FromSeconds(2) });
        using var tcp = await s.StartSlowUploadAsync();   // then sends nothing more
        string response = await TestServer.ReadResponseAsync(tcp);
        Assert.StartsWith("HTTP/1.1 408", response);
        Assert.Contains("upload timed out", response);
        Assert.Contains("240 bytes/s", response);
        Assert.Empty(Directory.GetFiles(s.Uploads));
    }
}
