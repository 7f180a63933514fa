using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Viml.Catalog;
using Viml.Tests.Catalog;
using Viml.Web;

namespace Viml.Tests.Web;

/// <summary>A real Kestrel on 127.0.0.1 over a small catalog made with the test parts.</summary>
public sealed class WebFixture : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("viml-web-").FullName;
    public string Uploads => Path.Combine(Root, "uploads");
    public string VideoPath => Path.Combine(Root, "clip.mp4");
    public HttpClient Http { get; private set; } = null!;
    public RecommendService Service { get; private set; } = null!;
    public const long Limit = 256 * 1024;
    WebApplication? _app;

    public async Task InitializeAsync()
    {
        var lib = ToneLibrary.Write(Path.Combine(Root, "music"));
        var parts = TestParts.Create();
        var cat = MusicCatalog.OpenOrCreate(Path.Combine(Root, "catalog"), CatalogIngest.InfoFor(parts));
        new CatalogIngest(cat, parts).Add(CatalogIngest.FindAudio([lib]));
        TestParts.Video(VideoPath, 12);
        Service = new RecommendService(cat, TestParts.Query());
        _app = VimlWeb.Build(Service, new WebOptions { Port = 0, MaxUploadBytes = Limit, UploadFolder = Uploads });
        await _app.StartAsync();
        var address = _app.Services.GetService(typeof(IServer)) is IServer s ? s.Features.Get<IServerAddressesFeature>()!.Addresses.First() : throw new InvalidOperationException("no server");
        Assert.StartsWith("http://127.0.0.1:", address);
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app != null) await _app.DisposeAsync();
        Service.Dispose();
        Directory.Delete(Root, true);
    }
}

public class WebApiTests : IClassFixture<WebFixture>
{
    readonly WebFixture _f;
    public WebApiTests(WebFixture f) => _f = f;

    static readonly byte[] Mp4Head = [0, 0, 0, 0x18, (byte)'f', (byte)'t', (byte)'y', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'m'];

    static MultipartFormDataContent Form(byte[]? video, string? text = null, string fileName = "clip.mp4", string contentType = "video/mp4")
    {
        var form = new MultipartFormDataContent();
        if (video != null)
        {
            var c = new ByteArrayContent(video);
            c.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(c, "video", fileName);
        }
        if (text != null) form.Add(new StringContent(text), "text");
        return form;
    }

    async Task<(HttpStatusCode, JsonElement)> Post(MultipartFormDataContent form)
    {
        var res = await _f.Http.PostAsync("/api/recommend", form);
        var body = await res.Content.ReadAsStringAsync();
        return (res.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    [Fact]
    public async Task The_pages_words_slider_starts_at_the_default_text_weight()
    {
        string page = await _f.Http.GetStringAsync("/");
        var slider = System.Text.RegularExpressions.Regex.Match(page, "<input id=\"text-weight\"[^>]*value=\"([0-9.]+)\"");
        Assert.True(slider.Success, "no text-weight slider on the page");
        Assert.Equal(Viml.Catalog.Steering.DefaultTextWeight, double.Parse(slider.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_real_video_gets_ranked_tracks_and_the_upload_is_deleted()
    {
        var (status, body) = await Post(Form(await File.ReadAllBytesAsync(_f.VideoPath), "calm strings"));
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        Assert.Equal("video + text", body.GetProperty("mode").GetString());
        Assert.Equal(1, body.GetProperty("videoSegments").GetInt32());
        var scores = results.EnumerateArray().Select(r => r.GetProperty("score").GetSingle()).ToArray();
        Assert.True(scores[0] >= scores[1] && scores[1] >= scores[2]);
        var first = results[0];
        Assert.True(first.GetProperty("end").GetDouble() > first.GetProperty("start").GetDouble());
        // the same query through the library gives the same ranking
        var direct = _f.Service.Recommend(_f.VideoPath, "calm strings", new RecommendOptions(), Steering.Default);
        Assert.Equal(direct.Items.Select(i => i.Track.Id), results.EnumerateArray().Select(r => r.GetProperty("trackId").GetInt64()));
        Assert.Empty(Directory.GetFiles(_f.Uploads));
    }

    [Fact]
    public async Task The_answer_has_the_fields_and_nesting_of_recommend_json()
    {
        var (status, body) = await Post(Form(await File.ReadAllBytesAsync(_f.VideoPath), "calm strings"));
        Assert.Equal(HttpStatusCode.OK, status);
        var direct = _f.Service.Recommend(_f.VideoPath, "calm strings", new RecommendOptions(), Steering.Default, default,
            new RhythmOptions());   // as recommend does, so each result carries its rhythm
        Assert.NotEmpty(direct.Rhythm);
        string cli = JsonSerializer.Serialize(RecommendationReport.From(direct, "video + text", _f.VideoPath, "calm strings"),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        var web = Fields(body, "", JsonNamingPolicy.SnakeCaseLower).ToHashSet();
        var line = Fields(JsonDocument.Parse(cli).RootElement, "", null).ToHashSet();
        Assert.Contains("timings_ms.frame_encoding", web);
        Assert.Contains("results.tags.confidence", web);
        // the command line gives a track's path, the web a URL to stream it; everything else is the same
        Assert.Equal(line.Where(f => f != "results.path").Order(), web.Where(f => f != "results.audio_url").Order());
    }

    /// <summary>Every field path of a JSON answer ("results.tags.name"), names in <paramref name="policy"/>'s form.</summary>
    static IEnumerable<string> Fields(JsonElement e, string prefix, JsonNamingPolicy? policy)
    {
        if (e.ValueKind == JsonValueKind.Array)
            return e.EnumerateArray().SelectMany(x => Fields(x, prefix, policy));
        if (e.ValueKind != JsonValueKind.Object) return [];
        return e.EnumerateObject().SelectMany(p =>
        {
            string path = prefix + (policy?.ConvertName(p.Name) ?? p.Name);
            return Fields(p.Value, path + ".", policy).Prepend(path);
        });
    }

    [Fact]
    public async Task Content_is_sniffed_not_the_file_name()
    {
        // a text file called .mp4
        var (s1, b1) = await Post(Form("hello, not a video"u8.ToArray(), fileName: "movie.mp4"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, s1);
        Assert.Contains("by its content", b1.GetProperty("detail").GetString());
        // an audio file (mp3) called .mp4
        var mp3 = TestParts.Tone(Path.Combine(_f.Root, "x.mp3"), 440, 2);
        var (s2, _) = await Post(Form(await File.ReadAllBytesAsync(mp3), fileName: "movie.mp4"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, s2);
        // a real video called .txt with a hostile name: accepted by content, stored under the server's name
        var (s3, _) = await Post(Form(await File.ReadAllBytesAsync(_f.VideoPath), fileName: "../../escape.txt", contentType: "text/plain"));
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.False(File.Exists(Path.Combine(_f.Uploads, "..", "..", "escape.txt")));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(_f.Uploads, "../escape.txt"))));
        // a container header with garbage after it: sniffed as MP4, refused by the decoder with 422, still deleted
        var fake = new byte[4096]; Mp4Head.CopyTo(fake, 0);
        var (s4, b4) = await Post(Form(fake));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, s4);
        Assert.DoesNotContain(_f.Uploads, b4.GetProperty("detail").GetString());
        Assert.Empty(Directory.GetFiles(_f.Uploads));
    }

    [Fact]
    public async Task Uploads_over_the_limit_are_refused()
    {
        var big = new byte[WebFixture.Limit + 10_000];
        Mp4Head.CopyTo(big, 0);
        // Expect: 100-continue: the refused body is never sent, so the 413 is read instead of a broken pipe.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/recommend") { Content = Form(big) };
        request.Headers.ExpectContinue = true;
        var res = await _f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
        Assert.Empty(Directory.GetFiles(_f.Uploads));
    }

    [Fact]
    public async Task Bad_fields_are_explained_and_text_only_without_a_text_branch_is_answered_by_words()
    {
        var (s1, _) = await Post(Form(null));
        Assert.Equal(HttpStatusCode.BadRequest, s1);
        var f2 = Form(null, "rock"); f2.Add(new StringContent("0"), "top");
        var (s2, b2) = await Post(f2);
        Assert.Equal(HttpStatusCode.BadRequest, s2);
        Assert.Contains("--top", b2.GetProperty("detail").GetString());
        var (s3, b3) = await Post(Form(null, "calm piano"));
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.Equal("text only", b3.GetProperty("mode").GetString());
        Assert.Equal(3, b3.GetProperty("results").GetArrayLength());
        var f4 = Form(null, "calm piano"); f4.Add(new StringContent("2"), "textWeight");
        var (s4, b4) = await Post(f4);
        Assert.Equal(HttpStatusCode.BadRequest, s4);
        Assert.Contains("--text-weight", b4.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Audio_streams_with_ranges_and_the_api_is_described()
    {
        var tracks = JsonDocument.Parse(await _f.Http.GetStringAsync("/api/tracks")).RootElement;
        Assert.Equal(ToneLibrary.Tracks, tracks.GetArrayLength());
        long id = tracks[0].GetProperty("id").GetInt64();
        var req = new HttpRequestMessage(HttpMethod.Get, $"/api/tracks/{id}/audio");
        req.Headers.Range = new RangeHeaderValue(100, 199);
        var res = await _f.Http.SendAsync(req);
        Assert.Equal(HttpStatusCode.PartialContent, res.StatusCode);
        Assert.Equal(100, (await res.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Http.GetAsync("/api/tracks/99999/audio")).StatusCode);

        var openapi = JsonDocument.Parse(await _f.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = openapi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/recommend", out _));
        Assert.True(paths.TryGetProperty("/api/tracks/{id}/audio", out _));
        Assert.Equal($"Viml | {VimlVersion.Text}", openapi.GetProperty("info").GetProperty("title").GetString());
        var page = await _f.Http.GetStringAsync("/");
        Assert.Contains("<script src=\"/app.js\">", page);
        Assert.Contains("/api/recommend", await _f.Http.GetStringAsync("/app.js"));
    }
}
