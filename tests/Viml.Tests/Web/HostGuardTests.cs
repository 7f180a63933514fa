using System.Net;
using Viml.Web;

namespace Viml.Tests.Web;

public class HostGuardTests
{
    static async Task<HttpStatusCode> Send(TestServer s, HttpMethod method, string path, string? host = null, string? origin = null, string? fetchSite = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (host != null) request.Headers.Host = host;
        if (origin != null) request.Headers.Add("Origin", origin);
        if (fetchSite != null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        if (method == HttpMethod.Post) request.Content = new MultipartFormDataContent();   // an empty form: 400 when let through
        return (await s.Http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Requests_for_other_host_names_are_refused_and_the_machines_own_names_answer()
    {
        await using var s = await TestServer.StartAsync(o => o with { AllowedHosts = ["music.lan"] });
        int port = s.Address.Port;
        Assert.Equal(HttpStatusCode.OK, await Send(s, HttpMethod.Get, "/api/catalog"));
        Assert.Equal(HttpStatusCode.OK, await Send(s, HttpMethod.Get, "/api/catalog", $"localhost:{port}"));
        Assert.Equal(HttpStatusCode.OK, await Send(s, HttpMethod.Get, "/api/catalog", $"[::1]:{port}"));
        Assert.Equal(HttpStatusCode.OK, await Send(s, HttpMethod.Get, "/api/catalog", $"MUSIC.lan:{port}"));
        // DNS rebinding: attacker.example re-pointed at 127.0.0.1
        Assert.Equal(HttpStatusCode.MisdirectedRequest, await Send(s, HttpMethod.Get, "/api/tracks", $"attacker.example:{port}"));
        Assert.Equal(HttpStatusCode.MisdirectedRequest, await Send(s, HttpMethod.Get, "/", "attacker.example"));
        using var refused = new HttpRequestMessage(HttpMethod.Get, "/api/tracks");
        refused.Headers.Host = "attacker.example";
        string detail = await (await s.Http.SendAsync(refused)).Content.ReadAsStringAsync();
        Assert.Contains("--allowed-host attacker.example", detail);
    }

    [Fact]
    public async Task Cross_site_posts_are_refused_and_same_origin_and_plain_clients_pass()
    {
        await using var s = await TestServer.StartAsync();
        string self = $"http://{s.Address.Authority}";
        Assert.Equal(HttpStatusCode.Forbidden, await Send(s, HttpMethod.Post, "/api/recommend", origin: "http://attacker.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await Send(s, HttpMethod.Post, "/api/recommend", origin: "null"));
        Assert.Equal(HttpStatusCode.Forbidden, await Send(s, HttpMethod.Post, "/api/recommend", fetchSite: "cross-site"));
        Assert.Equal(HttpStatusCode.Forbidden, await Send(s, HttpMethod.Post, "/api/recommend", origin: $"http://localhost:{s.Address.Port + 1}"));
        // the page itself (same origin), and curl-like clients that send no Origin, reach the endpoint (400: empty form)
        Assert.Equal(HttpStatusCode.BadRequest, await Send(s, HttpMethod.Post, "/api/recommend", origin: self, fetchSite: "same-origin"));
        Assert.Equal(HttpStatusCode.BadRequest, await Send(s, HttpMethod.Post, "/api/recommend"));
        // reading stays open to cross-site navigation (the browser keeps the answer from the other site)
        Assert.Equal(HttpStatusCode.OK, await Send(s, HttpMethod.Get, "/api/catalog", origin: "http://attacker.example", fetchSite: "cross-site"));
    }

    [Fact]
    public void Listening_beyond_loopback_carries_a_warning()
    {
        Assert.Null(new WebOptions().ExposureWarning);
        Assert.Null(new WebOptions { Host = "::1" }.ExposureWarning);
        Assert.Contains("no login", new WebOptions { Host = "0.0.0.0" }.ExposureWarning);
        Assert.Contains("192.168.1.5", new WebOptions { Host = "192.168.1.5" }.ExposureWarning);
        var wildcard = new HostGuard(new WebOptions { Host = "0.0.0.0" });
        Assert.True(wildcard.Allows("127.0.0.1"));
        Assert.False(wildcard.Allows("attacker.example"));
        Assert.True(new HostGuard(new WebOptions { Host = "10.1.2.3" }).Allows("10.1.2.3"));
    }
}
