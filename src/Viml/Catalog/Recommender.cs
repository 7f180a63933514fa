using System.Text.RegularExpressions;
using Viml.Encoders;

namespace Viml.Catalog;

/// <summary>Filters and size of a recommendation list.</summary>
public sealed record RecommendOptions(int Top = 10, double? MinDuration = null, double? MaxDuration = null, IReadOnlyList<string>? Tags = null)
{
    public void Validate()
    {
        if (Top < 1 || Top > 1000) throw new UsageException($"--top {Top}: must be between 1 and 1000");
        // NaN passes every comparison and infinity filters nothing: a duration must be a finite number of seconds.
        foreach (var (name, value) in new[] { ("--min-duration", MinDuration), ("--max-duration", MaxDuration) })
            if (value is { } v && !(double.IsFinite(v) && v >= 0))
                throw new UsageException($"{name} {v}: must be a finite number of seconds, 0 or more");
        if (MinDuration > MaxDuration) throw new UsageException($"--min-duration {MinDuration} is above --max-duration {MaxDuration}");
    }
}

/// <summary>A recommended track: its best segment (where to start playing) and scores (cosine similarity to the query).</summary>
public sealed record Recommendation(int Rank, CatalogTrack Track, double SegmentStart, double SegmentEnd, float Score, float TrackScore, IReadOnlyList<TrackTag> Tags);

/// <summary>
/// Ranks catalog tracks for a query embedding. Every segment was embedded alone (a length-1 sequence),
/// so a track's score is that of its best segment: the part of the track that fits the video and text,
/// as in the paper's clip-level protocol. The whole-track similarity is reported beside it.
/// Filters (duration, tags) apply to tracks; the segment search widens until enough tracks pass.
/// </summary>
public sealed class Recommender
{
    readonly MusicCatalog _catalog;
    readonly IVectorIndex _index;

    public Recommender(MusicCatalog catalog, IVectorIndex index)
    {
        if (index.Dimension != catalog.Info.Dimension && index.Count > 0)
            throw new InvalidInputException($"{catalog.Root}: index is {index.Dimension}-d, catalog {catalog.Info.Dimension}-d");
        _catalog = catalog; _index = index;
    }

    public IVectorIndex Index => _index;

    public IReadOnlyList<Recommendation> Recommend(float[] query, RecommendOptions options)
    {
        options.Validate();
        if (query.Length != _catalog.Info.Dimension)
            throw new InvalidInputException($"query embedding has {query.Length} dimensions, the catalog {_catalog.Info.Dimension}");
        var tracks = new Dictionary<long, CatalogTrack>();
        var tagsOf = new Dictionary<long, IReadOnlyList<TrackTag>>();
        bool wantTags = options.Tags is { Count: > 0 };
        bool Passes(long id)
        {
            if (!tracks.TryGetValue(id, out var t)) return false;
            double d = t.Metadata.Duration;
            if (options.MinDuration is { } lo && d < lo) return false;
            if (options.MaxDuration is { } hi && d > hi) return false;
            if (wantTags)
                foreach (var w in options.Tags!) if (!tagsOf[id].Any(x => TagMatches(x.Name, w))) return false;
            return true;
        }

        int n = _index.Count;
        int k = Math.Min(n, options.Top * 8 + 32);
        var best = new Dictionary<long, (long Segment, float Score, double Start, double End)>();
        while (true)
        {
            best.Clear();
            var hits = _index.Search(query, k);
            var spans = _catalog.SegmentSpans(hits.Select(h => h.Key));
            var fresh = spans.Values.Select(s => s.TrackId).Where(id => !tracks.ContainsKey(id)).Distinct().ToList();
            foreach (var (id, t) in _catalog.TracksById(fresh)) tracks[id] = t;
            if (wantTags) foreach (var (id, tv) in _catalog.TagsAndVectors(fresh)) tagsOf[id] = tv.Tags;
            foreach (var h in hits)
            {
                if (!spans.TryGetValue(h.Key, out var s) || !Passes(s.TrackId)) continue;
                if (!best.TryGetValue(s.TrackId, out var b) || h.Score > b.Score) best[s.TrackId] = (h.Key, h.Score, s.Start, s.End);
            }
            if (best.Count >= options.Top || k >= n) break;
            k = (int)Math.Min(n, (long)k * 4);
        }
        var top = best.OrderByDescending(x => x.Value.Score).ThenBy(x => x.Key).Take(options.Top).ToList();
        var extra = _catalog.TagsAndVectors(top.Select(x => x.Key));
        var result = new List<Recommendation>();
        foreach (var (trackId, b) in top)
        {
            var (tags, tv) = extra[trackId];
            float trackScore = tv.Length == query.Length ? System.Numerics.Tensors.TensorPrimitives.Dot<float>(tv, query) : float.NaN;
            result.Add(new Recommendation(result.Count + 1, tracks[trackId], b.Start, b.End, b.Score, trackScore, tags));
        }
        return result;
    }

    /// <summary>A stored tag ("model:category:name") matches a wanted one given in full or by its name alone, ignoring case.</summary>
    public static bool TagMatches(string stored, string wanted)
    {
        if (string.Equals(stored, wanted, StringComparison.OrdinalIgnoreCase)) return true;
        return stored.Contains(':') && string.Equals(TagInfo.NameOf(stored), wanted, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Tag names of a track that share a word with the query text (for <c>--explain</c>).</summary>
    public static IReadOnlyList<string> SharedWords(string? text, IEnumerable<TrackTag> tags)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var words = Words(text).ToHashSet();
        return tags.Select(t => TagInfo.NameOf(t.Name))
            .Where(name => Words(name).Any(words.Contains)).Distinct().ToList();
    }

    static IEnumerable<string> Words(string s) => Regex.Matches(s.ToLowerInvariant(), @"[\p{L}\p{N}]+").Select(m => m.Value);
}
