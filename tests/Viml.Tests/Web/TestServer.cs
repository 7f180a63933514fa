using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Viml.Catalog;
using Viml.Tests.Catalog;
using Viml.Web;

namespace Viml.Tests.Web;

/// <summary>A real Kestrel on 127.0.0.1 (a free port) over a one-track catalog in a folder of its own.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("viml-web-").FullName;
    public string Uploads => Path.Combine(Root, "uploads");
    public string Music => Path.Combine(Root, "music");
    public string CatalogRoot => Path.Combine(Root, "catalog");
    public WebApplication App { get; private set; } = null!;
    public RecommendService Service { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;

    public static async Task<TestServer> StartAsync(Func<WebOptions, WebOptions>? configure = null)
    {
        var s = new TestServer();
        Directory.CreateDirectory(s.Music);
        TestParts.Tone(Path.Combine(s.Music, "one.mp3"), 440, 12, title: "One");
        var parts = TestParts.Create();
        var cat = MusicCatalog.OpenOrCreate(s.CatalogRoot, CatalogIngest.InfoFor(parts));
        new CatalogIngest(cat, parts).Add(CatalogIngest.FindAudio([s.Music]));
        s.Service = new RecommendService(cat, TestParts.Query());
        var options = new WebOptions { Port = 0, UploadFolder = s.Uploads };
        s.App = VimlWeb.Build(s.Service, configure?.Invoke(options) ?? options);
        await s.App.StartAsync();
        s.Address = new Uri(((IServer)s.App.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First());
        s.Http = new HttpClient { BaseAddress = s.Address };
        return s;
    }

    /// <summary>A raw connection that sent a request's head and the start of its multipart body, and then waits.</summary>
    public async Task<TcpClient> StartSlowUploadAsync()
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(Address.Host, Address.Port);
        string head = $"POST /api/recommend HTTP/1.1\r\nHost: {Address.Authority}\r\nContent-Type: multipart/form-data; boundary=b0\r\n" +
            "Content-Length: 100000\r\n\r\n--b0\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nslo";
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
        return tcp;
    }

    /// <summary>Everything the server sends on <paramref name="tcp"/> until it closes the connection or a response is whole.</summary>
    public static async Task<string> ReadResponseAsync(TcpClient tcp)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var buffer = new byte[8192];
        var text = new StringBuilder();
        var stream = tcp.GetStream();
        while (true)
        {
            int n;
            try { n = await stream.ReadAsync(buffer, cts.Token); }
            catch (IOException) { break; }
            if (n == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            string t = text.ToString();
            int end = t.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var length = System.Text.RegularExpressions.Regex.Match(t, @"(?i)content-length: (\d+)");
            if (end > 0 && length.Success && t.Length >= end + 4 + int.Parse(length.Groups[1].Value)) break;
            if (end > 0 && t.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal)) break;   // the last chunk
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (App != null) await App.DisposeAsync();
        Service?.Dispose();
        Directory.Delete(Root, true);
    }
}
