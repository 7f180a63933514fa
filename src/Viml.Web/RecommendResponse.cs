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

    /// <summary>The answer for a recommendation (without its rhythm: <see cref="RhythmDtos.With"/> adds it).</summary>
    public static RecommendResponse From(RecommendResult r)
    {
        var t = r.Query.Timings;
        string mode = r.Query.VideoSegments == 0 ? "text" : r.Query.TextUsed ? "video+text" : "video";
        return new RecommendResponse(r.Items.Select(x => new RecommendationDto(x.Rank, x.Track.Id, x.Track.Metadata.Title, x.Track.Metadata.Artist,
                x.Track.Metadata.Album, x.Track.Metadata.Genre, x.Track.Metadata.Duration, x.SegmentStart, x.SegmentEnd, x.Score,
                float.IsNaN(x.TrackScore) ? 0 : x.TrackScore, x.Tags.Take(8).Select(g => new TagDto(g.Name, g.Confidence)).ToList(),
                $"/api/tracks/{x.Track.Id}/audio")).ToList(),
            mode, r.Query.VideoSegments, r.Query.SampledFrom,
            new TimingsDto(t.Decode.TotalMilliseconds, t.FrameEncoding.TotalMilliseconds, t.TextEncoding.TotalMilliseconds, t.Model.TotalMilliseconds, t.Search.TotalMilliseconds));
    }
}

/// <summary>One result of <c>POST /api/recommend</c>.</summary>
public sealed record RecommendationDto(
    int Rank, long TrackId, string Title, string? Artist, string? Album, string? Genre, double Duration,
    double Start, double End, float Score, float TrackScore, IReadOnlyList<TagDto> Tags, string AudioUrl);

public sealed record TagDto(string Name, float Confidence);

public sealed record TimingsDto(double DecodeMs, double FrameEncodingMs, double TextEncodingMs, double ModelMs, double SearchMs);
