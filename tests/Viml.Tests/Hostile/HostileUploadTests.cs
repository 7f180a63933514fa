using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Viml.Tests.Web;

namespace Viml.Tests.Hostile;

/// <summary>
/// Hostile uploads to <c>POST /api/recommend</c> on a real Kestrel (127.0.0.1): each gets its status code and a
/// problem+json detail that names the field and the problem without echoing a server path, and the upload
/// folder is empty afterwards.
/// </summary>
public class HostileUploadTests(WebFixture f) : IClassFixture<WebFixture>
{
    static readonly Random Bytes = new(4242);
    static byte[] RandomBytes(int n) { var b = new byte[n]; lock (Bytes) Bytes.NextBytes(b); return b; }

    static MultipartFormDataContent Form(byte[]? video, string? text = null, string fileName = "clip.mp4")
    {
        var form = new MultipartFormDataContent();
        if (video != null)
        {
            var c = new ByteArrayContent(video);
            c.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(c, "video", fileName);
        }
        if (text != null) form.Add(new StringContent(text), "text");
        return form;
    }

    /// <summary>name -> (request body, expected status, words the detail must hold).</summary>
    static readonly Dictionary<string, Func<WebFixture, (HttpContent Body, HttpStatusCode Status, string[] Detail)>> Cases = new()
    {
        ["upload-empty-file"] = _ => (Form([]), HttpStatusCode.BadRequest, ["video", "empty"]),
        ["upload-random-bytes"] = _ => (Form(RandomBytes(50_000)), HttpStatusCode.UnsupportedMediaType, ["video", "by its content"]),
        ["upload-truncated-mp4"] = w => (Form(File.ReadAllBytes(w.VideoPath)[..(int)(new FileInfo(w.VideoPath).Length * 0.4)]), HttpStatusCode.UnprocessableEntity, ["video"]),
        ["upload-unicode-300-byte-name"] = _ => (Form(RandomBytes(4096), fileName: new string('é', 150) + " ♫ 音楽.mp4"), HttpStatusCode.UnsupportedMediaType, ["by its content"]),
        ["upload-over-limit"] = _ => (Form(RandomBytes((int)WebFixture.Limit + 4096)), HttpStatusCode.RequestEntityTooLarge, ["video", "limit"]),
        ["upload-not-multipart"] = _ => (new StringContent("{\"video\": \"/etc/passwd\"}", Encoding.UTF8, "application/json"), HttpStatusCode.UnsupportedMediaType, []),   // refused by the endpoint's declared content type, before the handler
        ["upload-broken-multipart"] = _ =>
        {
            var c = new ByteArrayContent("--xyz\r\nContent-Disposition: form-data; name=\"video\"; filename=\"a.mp4\"\r\n\r\n\0\0\0\x18ftyp"u8.ToArray());
            c.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
            return (c, HttpStatusCode.BadRequest, ["malformed"]);
        },
        ["upload-text-too-long"] = _ => (Form(null, new string('x', 2001)), HttpStatusCode.BadRequest, ["text", "2000"]),
    };

    public static IEnumerable<object[]> Names() => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_hostile_upload_gets_its_status_a_clear_detail_and_leaves_no_file(string name)
    {
        var (body, status, detail) = Cases[name](f);
        // Expect: 100-continue: a refused body is never sent, so the answer is read instead of a broken pipe.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/recommend") { Content = body };
        request.Headers.ExpectContinue = true;
        var res = await f.Http.SendAsync(request);
        string text = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == status, $"{name}: {(int)res.StatusCode} {text}");
        if (text.Length > 0)
        {
            string d = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
            foreach (var w in detail) Assert.True(d.Contains(w, StringComparison.Ordinal), $"{name}: detail '{d}' should mention '{w}'");
            Assert.DoesNotContain(f.Root, d);
        }
        Assert.Empty(Directory.GetFiles(f.Uploads));
    }

    /// <summary>A request that declares a 1-TB body: refused from the header alone, before anything is read or written.</summary>
    [Fact]
    public async Task An_enormous_declared_length_is_refused_from_the_header()
    {
        var uri = f.Http.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        var head = $"POST /api/recommend HTTP/1.1\r\nHost: {uri.Host}:{uri.Port}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 1099511627776\r\n\r\n--b\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var buf = new byte[4096];
        int n = await stream.ReadAsync(buf).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        string reply = Encoding.ASCII.GetString(buf, 0, n);
        Assert.StartsWith("HTTP/1.1 413", reply);
        Assert.Empty(Directory.GetFiles(f.Uploads));
    }
}
