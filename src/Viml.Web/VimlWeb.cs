using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Viml.Catalog;

namespace Viml.Web;

/// <summary>One result of <c>POST /api/recommend</c>.</summary>
public sealed record RecommendationDto(
    int Rank, long TrackId, string Title, string? Artist, string? Album, string? Genre, double Duration,
    double Start, double End, float Score, float TrackScore, IReadOnlyList<TagDto> Tags, string AudioUrl);

public sealed record TagDto(string Name, float Confidence);

/// <summary>The answer of <c>POST /api/recommend</c>: the ranked tracks and how the query was made.</summary>
public sealed record RecommendResponse(
    IReadOnlyList<RecommendationDto> Results, string Mode, int VideoSegments, int SampledFrom, TimingsDto Timings)
{
    /// <summary>Tempo, pace fit, suggested start and beats of the results whose tracks have stored rhythm.</summary>
    public IReadOnlyList<RhythmDto>? Rhythm { get; init; }
    /// <summary>The video's cuts and motion (null without a video).</summary>
    public PaceDto? Pace { get; init; }
}

public sealed record TimingsDto(double DecodeMs, double FrameEncodingMs, double TextEncodingMs, double ModelMs, double SearchMs);

public sealed record TrackDto(long Id, string Title, string? Artist, string? Album, string? Genre, double Duration, int Segments);

public sealed record CatalogDto(int Tracks, int Segments, string Index, string Model);

/// <summary>
/// <c>viml serve</c>: the page (embedded static HTML + JS), a JSON API described at <c>/openapi/v1.json</c>,
/// and track audio streamed by id with range requests. Uploads are capped, recognised by their bytes,
/// stored under a server-chosen name and deleted once answered; nothing from the request names a path.
/// </summary>
public static class VimlWeb
{
    public static WebApplication Build(RecommendService service, WebOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            k.Limits.MinRequestBodyDataRate = options.MinUploadBytesPerSecond > 0
                ? new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(options.MinUploadBytesPerSecond, options.UploadGrace) : null;
            k.Listen(System.Net.IPAddress.Parse(options.Host), options.Port);
        });
        builder.Services.AddSingleton(_ => UploadFolder.Open(options.UploadFolder));
        builder.Services.AddSingleton(new UploadQueue(options.QueryWorkers, options.QueryQueue));
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = $"Viml | {VimlVersion.Text}";
            doc.Info.Version = VimlVersion.Text;
            return Task.CompletedTask;
        }));
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        var folder = app.Services.GetRequiredService<UploadFolder>();
        var queue = app.Services.GetRequiredService<UploadQueue>();
        app.Use(new HostGuard(options).InvokeAsync);

        app.MapOpenApi();
        app.MapGet("/", () => Embedded("index.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/app.js", () => Embedded("app.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/rhythm.js", () => Embedded("rhythm.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/app.css", () => Embedded("app.css", "text/css; charset=utf-8")).ExcludeFromDescription();

        app.MapGet("/api/catalog", () => new CatalogDto(service.Catalog.CountTracks(), service.Catalog.CountSegments(),
                service.Index.Kind.ToString().ToLowerInvariant(), service.Model.Id))
            .WithSummary("What the server searches: track and segment counts, index kind, model id.");

        app.MapGet("/api/tracks", () => service.Catalog.Tracks().Select(t =>
                new TrackDto(t.Id, t.Metadata.Title, t.Metadata.Artist, t.Metadata.Album, t.Metadata.Genre, t.Metadata.Duration, t.Segments)))
            .WithSummary("Every track of the catalog.");

        app.MapGet("/api/tracks/{id:long}/audio", (long id) =>
            {
                var t = service.Catalog.Track(id);
                if (t is null || !File.Exists(t.Path)) return Results.Problem($"track {id} not found", statusCode: 404);
                return Results.File(t.Path, AudioContentType(t.Path), enableRangeProcessing: true);
            })
            .WithSummary("The track's audio file, streamed; supports HTTP range requests (seek to the best segment).");

        app.MapPost("/api/recommend", async (HttpRequest request, CancellationToken ct) =>
            {
                using var lease = queue.TryEnter();
                if (lease is null) return queue.Busy();
                if (!request.HasFormContentType) return Results.Problem("send multipart/form-data with a 'video' file and/or a 'text' field", statusCode: 400);
                UploadForm received;
                try { received = await UploadForm.ReadAsync(request, folder, ct); }
                catch (Exception e) when (FormErrors.Explain(e, options) is { } problem) { return problem; }
                await using var _ = received;
                var form = received.Fields;
                string? upload = received.Video?.Path;
                string? text = form["text"].FirstOrDefault();
                if (text is { Length: > 2000 }) return Results.Problem("text: at most 2000 characters", statusCode: 400);
                RecommendOptions ro;
                try
                {
                    ro = new RecommendOptions(
                        Top: Int(form, "top") ?? 10, MinDuration: Dbl(form, "minDuration"), MaxDuration: Dbl(form, "maxDuration"),
                        Tags: form["tag"].Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).ToList());
                    ro.Validate();
                }
                catch (InvalidInputException e) { return Results.Problem(e.Message, statusCode: 400); }

                Steering steering;
                RhythmOptions rhythm;
                try
                {
                    steering = new Steering(Dbl(form, "textWeight"), Long(form, "like"), IncludeNonMusic: form["allKinds"].FirstOrDefault() == "true");
                    steering.Validate();
                    rhythm = RhythmDtos.Options(form);
                    rhythm.Validate();
                }
                catch (InvalidInputException e) { return Results.Problem(e.Message, statusCode: 400); }
                if (upload is null && string.IsNullOrWhiteSpace(text) && !steering.Likes)
                    return Results.Problem("give a video, a text, 'like', or some of them", statusCode: 400);
                try
                {
                    var result = await lease.RunAsync(() => service.Recommend(upload, text, ro, steering, ct, rhythm), ct);
                    string mode = QueryMode.Of(result.Query, service.WordsOnly, text, steering.LikeTrack?.ToString());
                    return Results.Ok(RhythmDtos.With(ToDto(RecommendationReport.From(result, mode, null, text, AudioUrl)), result));
                }
                catch (StaleCatalogException e) { return Results.Problem(e.Message, statusCode: 409); }
                catch (InvalidInputException e)
                {
                    string msg = upload != null ? e.Message.Replace(upload, "video") : e.Message;   // never echo server paths
                    return Results.Problem(msg, statusCode: 422);
                }
            })
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<RecommendResponse>()
            .ProducesProblem(400).ProducesProblem(408).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(503)
            .WithSummary("Ranked tracks for a video (form field 'video') and/or a sentence ('text'); optional 'top', 'minDuration', 'maxDuration', 'tag' (repeatable), " +
                "'textWeight' (0 video only .. 1 words only), 'like' (a track id: more like this), 'allKinds' (true: keep speech and other sound), " +
                "'pace', 'bpmMin', 'bpmMax'.");
        app.MapRender(service, options);
        return app;
    }

    /// <summary>Builds, starts, reports the address, and blocks until Ctrl+C / SIGTERM or <paramref name="ct"/>.</summary>
    public static void Serve(RecommendService service, WebOptions options, Action<string> started, CancellationToken ct = default)
    {
        var app = Build(service, options);
        try
        {
            app.StartAsync(ct).GetAwaiter().GetResult();
            started(app.Urls.FirstOrDefault() ?? $"http://{options.Host}:{options.Port}");
            app.WaitForShutdownAsync(ct).GetAwaiter().GetResult();
        }
        catch (IOException e) { throw new InvalidInputException($"{options.Host}:{options.Port}: cannot listen ({e.Message})", e); }
        finally { app.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }


    static string AudioUrl(long trackId) => $"/api/tracks/{trackId}/audio";

    /// <summary>The shared <see cref="RecommendationReport"/> under the API's field names (camelCase, <c>timings</c>
    /// in <c>...Ms</c> fields, at most 8 tags, a track score of 0 where none was computed), which the page reads.</summary>
    static RecommendResponse ToDto(RecommendationReport r)
    {
        var t = r.TimingsMs;
        return new RecommendResponse(r.Results.Select(x => new RecommendationDto(x.Rank, x.TrackId, x.Title, x.Artist,
                x.Album, x.Genre, x.Duration, x.Start, x.End, x.Score, x.TrackScore ?? 0,
                x.Tags.Take(8).Select(g => new TagDto(g.Name, g.Confidence)).ToList(), x.AudioUrl!)).ToList(),
            r.Mode, r.VideoSegments, r.SampledFrom,
            new TimingsDto(t.Decode, t.FrameEncoding, t.TextEncoding, t.Model, t.Search));
    }

    static int? Int(IFormCollection f, string key) =>
        f[key].FirstOrDefault() is { Length: > 0 } s ? int.TryParse(s, out var v) ? v : throw new InvalidInputException($"{key}: '{s}' is not a whole number") : null;
    static long? Long(IFormCollection f, string key) =>
        f[key].FirstOrDefault() is { Length: > 0 } s ? long.TryParse(s, out var v) ? v : throw new InvalidInputException($"{key}: '{s}' is not a track id") : null;
    static double? Dbl(IFormCollection f, string key) =>
        f[key].FirstOrDefault() is { Length: > 0 } s ? double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : throw new InvalidInputException($"{key}: '{s}' is not a number") : null;

    static string AudioContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp3" => "audio/mpeg", ".flac" => "audio/flac", ".wav" => "audio/wav", ".ogg" or ".oga" => "audio/ogg",
        ".opus" => "audio/ogg", ".m4a" or ".aac" or ".mp4a" => "audio/mp4", ".webm" => "audio/webm",
        ".aif" or ".aiff" => "audio/aiff", ".mka" => "audio/x-matroska", _ => "application/octet-stream",
    };

    static IResult Embedded(string name, string contentType)
    {
        var asm = typeof(VimlWeb).Assembly;
        var res = asm.GetManifestResourceNames().First(n => n.EndsWith("wwwroot." + name, StringComparison.Ordinal));
        return Results.Stream(asm.GetManifestResourceStream(res)!, contentType);
    }

}
