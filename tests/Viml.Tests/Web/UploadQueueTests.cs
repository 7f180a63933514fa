using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Viml.Web;

namespace Viml.Tests.Web;

public class UploadQueueTests
{
    static void WaitFor(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{what}: not within 60 s");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public async Task Queries_beyond_the_queue_get_503_with_retry_after_and_cheap_requests_are_still_answered()
    {
        // one query at a time, one more admitted; uploads are never cut for being slow
        await using var s = await TestServer.StartAsync(o => o with { QueryWorkers = 1, QueryQueue = 1, MinUploadBytesPerSecond = 0 });
        var queue = s.App.Services.GetRequiredService<UploadQueue>();
        var slow = new List<TcpClient> { await s.StartSlowUploadAsync(), await s.StartSlowUploadAsync() };
        try
        {
            WaitFor(() => queue.Admitted == 2, "two uploads admitted");
            using var form = new MultipartFormDataContent { { new StringContent("rock"), "text" } };
            var refused = await s.Http.PostAsync("/api/recommend", form);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 300 }, $"Retry-After: {refused.Headers.RetryAfter}");
            var detail = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
            Assert.Contains("busy", detail);

            // while the queue is full the cheap endpoints answer
            Assert.Equal(1, JsonDocument.Parse(await s.Http.GetStringAsync("/api/catalog")).RootElement.GetProperty("tracks").GetInt32());
            Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync("/")).StatusCode);
            Assert.Equal(2, queue.Admitted);
        }
        finally { slow.ForEach(t => t.Dispose()); }

        // the cut uploads leave the queue; the next query is admitted and answered (by words: the test model has no text branch)
        WaitFor(() => queue.Admitted == 0, "the cut uploads left the queue");
        using var again = new MultipartFormDataContent { { new StringContent("rock"), "text" } };
        Assert.Equal(HttpStatusCode.OK, (await s.Http.PostAsync("/api/recommend", again)).StatusCode);
        Assert.Empty(Directory.GetFiles(s.Uploads));
    }
}
