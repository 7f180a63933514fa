using Viml.Rhythm;

namespace Viml.Catalog;

/// <summary>The pace term's weight (0 turns it off) and the tempo filters of a recommendation.</summary>
public sealed record RhythmOptions(double Pace = RhythmOptions.DefaultPace, double? BpmMin = null, double? BpmMax = null)
{
    /// <summary>Default weight of the pace fit (0..1) added to the cosine score: off, as measured (docs/rhythm.md).</summary>
    public const double DefaultPace = 0;

    public bool Filters => BpmMin is not null || BpmMax is not null;

    public void Validate()
    {
        if (!double.IsFinite(Pace) || Pace < 0 || Pace > 10) throw new InvalidInputException($"--pace {Pace}: must be between 0 and 10");
        if (BpmMin is { } lo && !(lo > 0 && lo < 1000)) throw new InvalidInputException($"--bpm-min {lo}: must be a tempo in BPM");
        if (BpmMax is { } hi && !(hi > 0 && hi < 1000)) throw new InvalidInputException($"--bpm-max {hi}: must be a tempo in BPM");
        if (BpmMin > BpmMax) throw new InvalidInputException($"--bpm-min {BpmMin} is above --bpm-max {BpmMax}");
    }
}

/// <summary>What the rhythm adds to one recommended track: its tempo, the pace fit and combined score, where to start it
/// (a bar start, with a bar landing on the video's first cut) and its beats for a time line.</summary>
public sealed record TrackRhythm(double Bpm, double Confidence, double PaceFit, double Combined, double Start,
    IReadOnlyList<double> Beats, IReadOnlyList<double> Downbeats);

/// <summary>
/// Re-ranks a recommendation with rhythm: drops tracks outside the BPM range, adds <c>Pace x fit</c>
/// (<see cref="PaceMatch"/>, video pace against the best segment's tempo and loudness) to each score, and finds each
/// track's start (<see cref="BestMoment"/>). Tracks without stored rhythm, or in which no pulse was found, keep their score and segment start.
/// </summary>
public static class PaceRanking
{
    /// <summary>How many candidates to ask for so that <paramref name="top"/> remain after filtering and re-ranking.</summary>
    public static int Widen(int top, RhythmOptions o) => o.Filters || o.Pace > 0 ? Math.Min(1000, Math.Max(top * 4, top + 20)) : top;

    public static RecommendResult Apply(MusicCatalog catalog, RecommendResult result, RhythmOptions o, int top)
    {
        var rhythm = RhythmStore.Of(catalog, result.Items.Select(i => i.Track.Id));
        var pace = result.Query.Pace;
        var scored = new List<(Recommendation Item, TrackRhythm? Rhythm, double Combined)>();
        foreach (var item in result.Items)
        {
            if (rhythm.TryGetValue(item.Track.Id, out var r) && r.Beats.Length == 0) r = null;   // no pulse found: no tempo to show
            if (o.Filters && (r is null || r.Bpm < (o.BpmMin ?? 0) || r.Bpm > (o.BpmMax ?? double.MaxValue))) continue;
            if (r is null) { scored.Add((item, null, item.Score)); continue; }
            double bpm = r.BpmBetween(item.SegmentStart, item.SegmentEnd), loud = r.EnergyBetween(item.SegmentStart, item.SegmentEnd);
            double fit = pace is null ? 0 : PaceMatch.Fit(pace, bpm, loud);
            double combined = item.Score + o.Pace * fit;
            double start = BestMoment.Start(r, item.SegmentStart, pace?.FirstCut, item.Track.Metadata.Duration);
            scored.Add((item, new TrackRhythm(r.Bpm, r.Confidence, fit, combined, start, r.Beats, r.Downbeats), combined));
        }
        var ranked = scored.OrderByDescending(x => x.Combined).ThenBy(x => x.Item.Rank).Take(top).ToList();
        var items = ranked.Select((x, i) => x.Item with { Rank = i + 1 }).ToList();
        var map = ranked.Where(x => x.Rhythm is not null).ToDictionary(x => x.Item.Track.Id, x => x.Rhythm!);
        return result with { Items = items, Rhythm = map };
    }
}
