using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Viml.Catalog;

namespace Viml.Web;

/// <summary><c>GET /api/catalog</c>, <c>/api/tracks</c> and <c>/api/tracks/{id}/audio</c>: what the server
/// searches.</summary>
static class CatalogEndpoints
{
    public static void MapCatalog(this WebApplication app, RecommendService service)
    {
        app.MapGet("/api/catalog", () => Catalog(service))
            .WithSummary("What the server searches: track and segment counts, index kind, model id.");
        app.MapGet("/api/tracks", () => Tracks(service))
            .WithSummary("Every track of the catalog.");
        app.MapGet("/api/tracks/{id:long}/audio", (long id) => Audio(service, id))
            .WithSummary("The track's audio file, streamed; supports HTTP range requests (seek to the best segment).");
    }

    static Ok<CatalogDto> Catalog(RecommendService service) => TypedResults.Ok(new CatalogDto(
        service.Catalog.CountTracks(), service.Catalog.CountSegments(), service.Index.Kind.ToString().ToLowerInvariant(),
        service.Model.Id));

    static Ok<List<TrackDto>> Tracks(RecommendService service) => TypedResults.Ok(service.Catalog.Tracks()
        .Select(t => new TrackDto(t.Id, t.Metadata.Title, t.Metadata.Artist, t.Metadata.Album, t.Metadata.Genre,
            t.Metadata.Duration, t.Segments))
        .ToList());

    static Results<PhysicalFileHttpResult, ProblemHttpResult> Audio(RecommendService service, long id)
    {
        var t = service.Catalog.Track(id);
        if (t is null || !File.Exists(t.Path)) return TypedResults.Problem($"track {id} not found", statusCode: 404);
        return TypedResults.PhysicalFile(t.Path, AudioContentType(t.Path), enableRangeProcessing: true);
    }

    static string AudioContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp3" => "audio/mpeg", ".flac" => "audio/flac", ".wav" => "audio/wav", ".ogg" or ".oga" => "audio/ogg",
        ".opus" => "audio/ogg", ".m4a" or ".aac" or ".mp4a" => "audio/mp4", ".webm" => "audio/webm",
        ".aif" or ".aiff" => "audio/aiff", ".mka" => "audio/x-matroska", _ => "application/octet-stream",
    };
}
