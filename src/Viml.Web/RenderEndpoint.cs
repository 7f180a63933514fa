using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Viml.Catalog;
using Viml.Media;

namespace Viml.Web;

/// <summary>
/// <c>POST /api/render</c>: the uploaded video with a catalog track under it (form fields 'video', 'trackId',
/// 'start', 'keepAudio'), returned as an MP4 download. The upload and the rendered file live only for the request.
/// </summary>
static class RenderEndpoint
{
    public static void MapRender(this WebApplication app, RecommendService service, WebOptions options)
    {
        app.MapPost("/api/render", async (HttpRequest request, HttpResponse response, CancellationToken ct) =>
            {
                if (!request.HasFormContentType) return Results.Problem("send multipart/form-data with 'video' and 'trackId'", statusCode: 400);
                IFormCollection form;
                try { form = await request.ReadFormAsync(ct); }
                catch (BadHttpRequestException e) when (e.StatusCode == 413) { return Results.Problem("video: too large", statusCode: 413); }
                catch (Exception e) when (e is InvalidDataException or IOException) { return Results.Problem("malformed multipart/form-data body", statusCode: 400); }
                var file = form.Files.GetFile("video");
                if (file is null || file.Length == 0) return Results.Problem("video: give the video to put the music under", statusCode: 400);
                if (!long.TryParse(form["trackId"].FirstOrDefault(), out long trackId) || service.Catalog.Track(trackId) is not { } track)
                    return Results.Problem("trackId: not a track of this catalog", statusCode: 400);
                double start = 0, keep = 0;
                var inv = System.Globalization.CultureInfo.InvariantCulture;
                if (form["start"].FirstOrDefault() is { Length: > 0 } s && !double.TryParse(s, inv, out start))
                    return Results.Problem($"start: '{s}' is not a number", statusCode: 400);
                if (form["keepAudio"].FirstOrDefault() is { Length: > 0 } k && !double.TryParse(k, inv, out keep))
                    return Results.Problem($"keepAudio: '{k}' is not a number", statusCode: 400);

                var head = new byte[VideoSniffer.HeaderLength];
                int n;
                await using (var src = file.OpenReadStream()) n = await src.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
                if (VideoSniffer.Sniff(head.AsSpan(0, n)) is null) return Results.Problem("video: not a video container Viml reads", statusCode: 415);
                string id = Guid.NewGuid().ToString("N");
                string upload = Path.Combine(options.UploadFolder, id + ".upload"), output = Path.Combine(options.UploadFolder, id + ".mp4");
                try
                {
                    await using (var dst = new FileStream(upload, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                    await using (var src = file.OpenReadStream())
                        await src.CopyToAsync(dst, ct);
                    await Task.Run(() => SoundtrackMix.Render(upload, track.Path, output, new SoundtrackOptions(start, keep), ct), ct);
                    var stream = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
                    string name = $"with-{Safe(Path.GetFileNameWithoutExtension(track.Path))}.mp4";
                    return Results.File(stream, "video/mp4", name);
                }
                catch (InvalidInputException e) { return Results.Problem(e.Message.Replace(upload, "video"), statusCode: 422); }
                finally { try { File.Delete(upload); } catch (IOException) { } }
            })
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .ProducesProblem(400).ProducesProblem(415).ProducesProblem(422)
            .WithSummary("The uploaded video ('video') with catalog track 'trackId' under it from 'start' seconds, as an MP4; 'keepAudio' 0..1 keeps the video's sound.");
    }

    static string Safe(string s) => new(s.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
}
