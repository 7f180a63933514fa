using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Viml.Catalog;

namespace Viml.Web;

/// <summary>
/// <c>POST /api/recommend</c>: ranked tracks for an uploaded video and/or a sentence. A place in the
/// <see cref="UploadQueue"/> first, then the form (the upload stored under a server-chosen name), its options,
/// the query; every refusal is a problem document, and no answer names a server path.
/// </summary>
static class RecommendEndpoint
{
    public static void MapRecommend(this WebApplication app, RecommendService service, WebOptions options,
        UploadFolder folder, UploadQueue queue)
    {
        app.MapPost("/api/recommend", (HttpRequest request, CancellationToken ct) =>
                Recommend(request, service, options, folder, queue, ct))
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<RecommendationReport>()
            .ProducesProblem(400).ProducesProblem(408).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422)
            .ProducesProblem(503)
            .WithSummary("Ranked tracks for a video (form field 'video') and/or a sentence ('text'); " +
                "optional 'top', 'minDuration', 'maxDuration', 'tag' (repeatable), " +
                "'textWeight' (0 video only .. 1 words only), 'like' (a track id: more like this), " +
                "'allKinds' (true: keep speech and other sound), " +
                "'pace', 'bpmMin', 'bpmMax'.");
    }

    /// <summary>Where the page streams a track (the answer never names a server path).</summary>
    static string AudioUrl(long trackId) => $"/api/tracks/{trackId}/audio";

    /// <summary>What a recommend form asks for, read and validated.</summary>
    sealed record Query(string? Text, RecommendOptions Options, Steering Steering, RhythmOptions Rhythm);

    static async Task<Results<Ok<RecommendationReport>, ProblemHttpResult, BusyResult>> Recommend(HttpRequest request,
        RecommendService service, WebOptions options, UploadFolder folder, UploadQueue queue, CancellationToken ct)
    {
        using var lease = queue.TryEnter();
        if (lease is null) return queue.Busy();
        if (!request.HasFormContentType)
            return Problem("send multipart/form-data with a 'video' file and/or a 'text' field", 400);
        UploadForm received;
        try { received = await UploadForm.ReadAsync(request, folder, ct); }
        catch (Exception e) when (FormErrors.Explain(e, options) is { } problem) { return problem; }
        await using var _ = received;
        string? upload = received.Video?.Path;
        Query query;
        try { query = Read(received.Fields); }
        catch (InvalidInputException e) { return Problem(e.Message, 400); }
        if (upload is null && string.IsNullOrWhiteSpace(query.Text) && !query.Steering.Likes)
            return Problem("give a video, a text, 'like', or some of them", 400);
        try
        {
            var result = await lease.RunAsync(
                () => service.Recommend(upload, query.Text, query.Options, query.Steering, ct, query.Rhythm), ct);
            string mode = QueryMode.Of(result.Query, service.WordsOnly, query.Text, query.Steering.LikeTrack?.ToString());
            return TypedResults.Ok(RecommendationReport.From(result, mode, null, query.Text, AudioUrl));
        }
        catch (StaleCatalogException e) { return Problem(e.Message, 409); }
        catch (InvalidInputException e)
        {
            string msg = upload != null ? e.Message.Replace(upload, "video") : e.Message;   // never echo server paths
            return Problem(msg, 422);
        }
    }

    /// <summary>The text and the options of a form; an <see cref="InvalidInputException"/> names a field out of
    /// range.</summary>
    static Query Read(IFormCollection form)
    {
        string? text = form["text"].FirstOrDefault();
        if (text is { Length: > 2000 }) throw new InvalidInputException("text: at most 2000 characters");
        var options = new RecommendOptions(
            Top: FormValues.Int(form, "top") ?? 10, MinDuration: FormValues.Number(form, "minDuration"),
            MaxDuration: FormValues.Number(form, "maxDuration"),
            Tags: form["tag"].Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).ToList());
        options.Validate();
        var steering = new Steering(FormValues.Number(form, "textWeight"), FormValues.TrackId(form, "like"),
            IncludeNonMusic: form["allKinds"].FirstOrDefault() == "true");
        steering.Validate();
        var rhythm = RhythmForm.Options(form);
        rhythm.Validate();
        return new Query(text, options, steering, rhythm);
    }

    static ProblemHttpResult Problem(string detail, int status) => TypedResults.Problem(detail, statusCode: status);
}
