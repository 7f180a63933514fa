using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TorchSharp;
using Viml.Catalog;
using Viml.Encoders;
using Viml.Model;
using Viml.Torch;
using Viml.Web;

using static Viml.Bench.BenchTools;

namespace Viml.Bench;

/// <summary>
/// <c>viml serve</c> under a flood of uploads: N parallel <c>POST /api/recommend</c> with a video while a client
/// keeps asking <c>GET /api/catalog</c>; prints the answers by status, the time to the first ranked answer, the
/// cheap request's latency against its peer on the idle server, and the process's threads before and at peak.
/// Usage: web [--uploads 50] [--seconds 10] [--tracks 3] (a freshly initialised checkpoint of the paper's size).
/// </summary>
static class WebFloodBench
{
    public static int Run(string[] args)
    {
        int uploads = int.Parse(Opt(args, "--uploads", "50")), tracks = int.Parse(Opt(args, "--tracks", "3"));
        double seconds = double.Parse(Opt(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var root = Directory.CreateTempSubdirectory("viml-bench-web-").FullName;
        try
        {
            Console.WriteLine($"web flood bench: {uploads} parallel uploads of a {seconds:0} s 640x360 video; {Environment.ProcessorCount} cores; " +
                              $"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            TorchRuntime.Initialise();
            torch.manual_seed(1);
            string model = Path.Combine(root, "checkpoint");
            using (var m = new VimlModel(new ModelConfig())) Checkpoint.Save(model, m);
            var lib = Directory.CreateDirectory(Path.Combine(root, "music")).FullName;
            for (int i = 0; i < tracks; i++)
                Ffmpeg("-f", "lavfi", "-i", $"sine=frequency={220 + 110 * i}:duration=20", Path.Combine(lib, $"t{i}.mp3"));
            string video = Path.Combine(root, "query.mp4");
            Ffmpeg("-f", "lavfi", "-i", $"testsrc2=size=640x360:rate=25:duration={seconds.ToString(CultureInfo.InvariantCulture)}", "-pix_fmt", "yuv420p", video);
            byte[] videoBytes = File.ReadAllBytes(video);

            using var cm = new TrainedCatalogModel(model);
            using var music = new MusicnnEncoder();
            var cat = MusicCatalog.OpenOrCreate(Path.Combine(root, "catalog"), CatalogIngest.InfoFor(CatalogParts.Ingest(cm, music)));
            new CatalogIngest(cat, CatalogParts.Ingest(cm, music)).Add(CatalogIngest.FindAudio([lib]));
            using var frames = new ResNet18FrameEncoder();
            using var text = new MiniLmTextEncoder();
            using var service = new RecommendService(cat, CatalogParts.Query(cm, frames, text, 2));
            var app = VimlWeb.Build(service, new WebOptions { Port = 0, UploadFolder = Path.Combine(root, "uploads") });
            app.StartAsync().GetAwaiter().GetResult();
            try
            {
                var url = ((IServer)app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First();
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) };
                var idle = Enumerable.Range(0, 21).Select(_ => Time(() => http.GetStringAsync("/api/catalog").GetAwaiter().GetResult())).Skip(1).ToList();
                int threadsBefore = Process.GetCurrentProcess().Threads.Count;

                int peakThreads = threadsBefore;
                using var stopSampling = new CancellationTokenSource();
                var sampler = Task.Run(() =>
                {
                    while (!stopSampling.IsCancellationRequested)
                    {
                        peakThreads = Math.Max(peakThreads, Process.GetCurrentProcess().Threads.Count);
                        Thread.Sleep(50);
                    }
                });
                var clock = Stopwatch.StartNew();
                double firstRanked = double.NaN;
                var posts = Enumerable.Range(0, uploads).Select(_ => Task.Run(async () =>
                {
                    using var form = new MultipartFormDataContent();
                    var file = new ByteArrayContent(videoBytes);
                    file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
                    form.Add(file, "video", "query.mp4");
                    var res = await http.PostAsync("/api/recommend", form);
                    if (res.IsSuccessStatusCode) lock (clock) if (double.IsNaN(firstRanked)) firstRanked = clock.Elapsed.TotalSeconds;
                    return (int)res.StatusCode;
                })).ToArray();
                var busy = new List<double>();
                do
                {
                    busy.Add(Time(() => http.GetStringAsync("/api/catalog").GetAwaiter().GetResult()));
                    Thread.Sleep(100);
                } while (!posts.All(p => p.IsCompleted));
                Task.WaitAll(posts);
                double all = clock.Elapsed.TotalSeconds;
                stopSampling.Cancel();
                sampler.Wait();
                var statuses = posts.GroupBy(p => p.Result).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}");
                double idleMed = Median(idle), busyMed = Median(busy);
                Console.WriteLine($"answers: {string.Join(", ", statuses)}; first ranked answer after {firstRanked:0.0} s; all answered after {all:0.0} s");
                Console.WriteLine($"GET /api/catalog: idle median {idleMed * 1000:0.0} ms; during the flood median {busyMed * 1000:0.0} ms, " +
                                  $"max {busy.Max() * 1000:0.0} ms over {busy.Count} requests; flood/idle = {busyMed / idleMed:0.0}");
                Console.WriteLine($"threads: {threadsBefore} before, {peakThreads} at peak");
            }
            finally { app.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
            return 0;
        }
        finally { Directory.Delete(root, true); }
    }

    static double Time(Action a) { var sw = Stopwatch.StartNew(); a(); return sw.Elapsed.TotalSeconds; }
    static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    static string Opt(string[] args, string name, string def)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : def;
    }
}
