using Viml.Catalog;

namespace Viml.Web;

/// <summary>The answer of <c>POST /api/recommend</c>: the ranked tracks and how the query was made.</summary>
public sealed record RecommendResponse(
    IReadOnlyList<RecommendationDto> Results, string Mode, int VideoSegments, int SampledFrom, TimingsDto Timings)
{
    /// <summary>Tempo, pace fit, suggested start and beats of the results whose tracks have stored rhythm.</summary>
    public IReadOnlyList<RhythmDto>? Rhythm { get; init; }
    /// <summary>The video's cuts and motion (null without a video).</summary>
    public PaceDto? Pace { get; init; }
    /// <summary>Segments left out because no frame was decoded in them (a long gap in the video); empty when none.</summary>
    public IReadOnlyList<ReportSpan> SkippedSegments { get; init; } = [];

    /// <summary>The answer for a recommendation (without its rhythm: <see cref="RhythmDtos.With"/> adds it): the shared
    /// <see cref="RecommendationReport"/> under the API's field names (camelCase, <c>timings</c> in <c>...Ms</c> fields,
    /// at most 8 tags, a track score of 0 where none was computed), which the page reads.</summary>
    public static RecommendResponse From(RecommendationReport r)
    {
        var t = r.TimingsMs;
        return new RecommendResponse(r.Results.Select(x => new RecommendationDto(x.Rank, x.TrackId, x.Title, x.Artist,
                x.Album, x.Genre, x.Duration, x.Start, x.End, x.Score, x.TrackScore ?? 0,
                x.Tags.Take(8).Select(g => new TagDto(g.Name, g.Confidence)).ToList(), x.AudioUrl!)).ToList(),
            r.Mode, r.VideoSegments, r.SampledFrom,
            new TimingsDto(t.Decode, t.FrameEncoding, t.TextEncoding, t.Model, t.Search))
        { SkippedSegments = r.SkippedSegments };
    }

    /// <summary>Where the page streams a track.</summary>
    public static string AudioUrl(long trackId) => $"/api/tracks/{trackId}/audio";
}

/// <summary>One result of <c>POST /api/recommend</c>.</summary>
public sealed record RecommendationDto(
    int Rank, long TrackId, string Title, string? Artist, string? Album, string? Genre, double Duration,
    double Start, double End, float Score, float TrackScore, IReadOnlyList<TagDto> Tags, string AudioUrl);

public sealed record TagDto(string Name, float Confidence);

public sealed record TimingsDto(double DecodeMs, double FrameEncodingMs, double TextEncodingMs, double ModelMs, double SearchMs);
