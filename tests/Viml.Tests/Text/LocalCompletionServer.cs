using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Viml.Tests.Text;

/// <summary>A real HTTP server on 127.0.0.1 that answers OpenAI-style completion requests from a script of replies.</summary>
public sealed class LocalCompletionServer : IDisposable
{
    public sealed record Reply(int Status, string Body, int DelayMs = 0);
    public sealed record Received(string Path, string? Authorization, JsonNode Body);

    HttpListener _listener;
    readonly CancellationTokenSource _stop = new();
    readonly Func<int, Received, Reply> _script;
    readonly Task _loop;
    int _count;

    public string BaseUrl { get; } = "";
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <param name="script">The reply to the n-th request (0-based).</param>
    public LocalCompletionServer(Func<int, Received, Reply> script)
    {
        _script = script;
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                _listener = new HttpListener();
                _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                _listener.Start();
                BaseUrl = $"http://127.0.0.1:{port}/v1";
                break;
            }
            catch (HttpListenerException) when (attempt < 20) { _listener?.Close(); } // another test took the port meanwhile
        }
        _loop = Task.Run(Loop);
    }

    /// <summary>A completion reply with the given text (and a chat message with the same text).</summary>
    public static Reply Completion(string text) => new(200, new JsonObject
    {
        ["choices"] = new JsonArray(new JsonObject { ["text"] = text, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text } }),
    }.ToJsonString());

    async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                try
                {
                    string body;
                    using (var r = new StreamReader(ctx.Request.InputStream, Encoding.UTF8)) body = await r.ReadToEndAsync();
                    var rec = new Received(ctx.Request.Url!.AbsolutePath, ctx.Request.Headers["Authorization"], JsonNode.Parse(body)!);
                    Requests.Enqueue(rec);
                    var reply = _script(Interlocked.Increment(ref _count) - 1, rec);
                    if (reply.DelayMs > 0) await Task.Delay(reply.DelayMs, _stop.Token);
                    var bytes = Encoding.UTF8.GetBytes(reply.Body);
                    ctx.Response.StatusCode = reply.Status;
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.OutputStream.WriteAsync(bytes, _stop.Token);
                    ctx.Response.Close();
                }
                catch (Exception) { try { ctx.Response.Abort(); } catch { } }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(2000); } catch { }
    }
}
