using Microsoft.AspNetCore.Http;
using Viml.Catalog;

namespace Viml.Web;

/// <summary>Rhythm of one result: tempo, pace fit, suggested start (a bar start with a bar on the video's first cut),
/// beat and bar-start times for the track's time line.</summary>
public sealed record RhythmDto(long TrackId, double Bpm, double Confidence, double PaceFit, double Start,
    IReadOnlyList<double> Beats, IReadOnlyList<double> Downbeats);

/// <summary>The uploaded video's cuts and motion.</summary>
public sealed record PaceDto(IReadOnlyList<double> Cuts, double CutsPerMinute, double Motion);

/// <summary>Reads the rhythm fields of a recommend form and adds the rhythm to its answer.</summary>
static class RhythmDtos
{
    public static RhythmOptions Options(IFormCollection form) => new(
        Pace: FormValues.Number(form, "pace") ?? RhythmOptions.DefaultPace,
        BpmMin: FormValues.Number(form, "bpmMin"), BpmMax: FormValues.Number(form, "bpmMax"));

    public static RecommendResponse With(RecommendResponse response, RecommendResult result) => response with
    {
        Rhythm = result.Items.Where(i => result.Rhythm.ContainsKey(i.Track.Id)).Select(i =>
        {
            var r = result.Rhythm[i.Track.Id];
            return new RhythmDto(i.Track.Id, Math.Round(r.Bpm, 2), Math.Round(r.Confidence, 3), Math.Round(r.PaceFit, 3), Math.Round(r.Start, 3),
                r.Beats.Select(b => Math.Round(b, 3)).ToList(), r.Downbeats.Select(b => Math.Round(b, 3)).ToList());
        }).ToList(),
        Pace = result.Query.Pace is { } p ? new PaceDto(p.Cuts.Select(c => Math.Round(c, 3)).ToList(), p.CutsPerMinute, p.Motion) : null,
    };
}
