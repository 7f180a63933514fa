using System.Text.Json.Serialization;

namespace Viml.Catalog;

/// <summary>
/// The one shape of a recommendation answer, shared by <c>recommend --json</c> (snake_case) and the web API
/// (camelCase, the same fields and nesting): the query's mode (<see cref="QueryMode"/>), how much of the video was used, where the time went,
/// the ranked tracks and the video's pace.
/// </summary>
public sealed record RecommendationReport(
    string Mode, string? Video, string? Text, int VideoSegments, int SampledFrom, ReportTimings TimingsMs,
    IReadOnlyList<ReportItem> Results, ReportPace? Pace)
{
    /// <summary>Segments of the video left out because not a single frame was decoded in them (a long gap between
    /// frames); empty when every segment had frames.</summary>
    public IReadOnlyList<ReportSpan> SkippedSegments { get; init; } = [];

    /// <summary>The report of <paramref name="result"/>; <paramref name="audioUrl"/> (the web) gives each track a URL
    /// in place of its path (the command line).</summary>
    public static RecommendationReport From(RecommendResult result, string mode, string? video, string? text,
        Func<long, string>? audioUrl = null)
    {
        var t = result.Query.Timings;
        var items = result.Items.Select(x =>
        {
            var m = x.Track.Metadata;
            var rhythm = result.Rhythm.TryGetValue(x.Track.Id, out var r)
                ? new ReportRhythm(Math.Round(r.Bpm, 1), Math.Round(r.Confidence, 3), Math.Round(r.PaceFit, 3), r.Combined,
                    Math.Round(r.Start, 3), Rounded(r.Beats), Rounded(r.Downbeats))
                : null;
            return new ReportItem(x.Rank, x.Track.Id, audioUrl is null ? x.Track.Path : null, m.Title, m.Artist, m.Album, m.Genre,
                m.Duration, x.SegmentStart, x.SegmentEnd, x.Score, float.IsNaN(x.TrackScore) ? null : x.TrackScore,
                x.Tags, rhythm) { AudioUrl = audioUrl?.Invoke(x.Track.Id) };
        }).ToList();
        var pace = result.Query.Pace is { } p ? new ReportPace(p.Cuts, p.CutsPerMinute, p.Motion, p.SegmentMotion) : null;
        return new RecommendationReport(mode, video, text, result.Query.VideoSegments, result.Query.SampledFrom,
            new ReportTimings(t.Decode.TotalMilliseconds, t.FrameEncoding.TotalMilliseconds, t.TextEncoding.TotalMilliseconds,
                t.Model.TotalMilliseconds, t.Search.TotalMilliseconds), items, pace)
        { SkippedSegments = result.Query.EmptySegments.Select(g => new ReportSpan(g.Start, g.End)).ToList() };
    }

    static double[] Rounded(IReadOnlyList<double> times) => times.Select(t => Math.Round(t, 3)).ToArray();
}

/// <summary>A stretch of the video, in seconds.</summary>
public sealed record ReportSpan(double Start, double End);

/// <summary>Milliseconds per stage of a query.</summary>
public sealed record ReportTimings(double Decode, double FrameEncoding, double TextEncoding, double Model, double Search);

/// <summary>One ranked track: where its best segment is and how well it scored; <see cref="TrackScore"/> is null when
/// the whole track was not scored.</summary>
public sealed record ReportItem(
    int Rank, long TrackId, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path,
    string Title, string? Artist, string? Album, string? Genre, double Duration, double Start, double End,
    float Score, float? TrackScore, IReadOnlyList<TrackTag> Tags, ReportRhythm? Rhythm)
{
    /// <summary>Where the web app streams the track (absent on the command line, which gives the path).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AudioUrl { get; init; }
}

/// <summary>A track's tempo, how well it fits the video's pace, the score with the pace term, where to start (a bar
/// start), and its beat and bar-start times (seconds into the track) for a time line.</summary>
public sealed record ReportRhythm(double Bpm, double Confidence, double PaceFit, double ScoreWithPace, double StartAt,
    double[] Beats, double[] Downbeats);

/// <summary>The video's cuts (seconds), their rate, its mean motion and the motion per segment.</summary>
public sealed record ReportPace(double[] Cuts, double CutsPerMinute, double Motion, double[] SegmentMotion);
