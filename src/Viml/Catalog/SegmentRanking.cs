namespace Viml.Catalog;

/// <summary>
/// Ranks tracks from a score for every segment (words, "more like this", blends): a track's score is that of its
/// best segment, as in <see cref="Recommender"/>, its track score the mean over its segments; the filters of
/// <see cref="RecommendOptions"/> apply to tracks, and <paramref name="keep"/> (when given) too.
/// </summary>
public static class SegmentRanking
{
    public static IReadOnlyList<Recommendation> Rank(MusicCatalog catalog, IReadOnlyList<long> segments, IReadOnlyList<long> trackOf,
        float[] scores, RecommendOptions options, Func<long, bool>? keep = null)
    {
        options.Validate();
        if (scores.Length != segments.Count) throw new ArgumentException("one score per segment");
        var best = new Dictionary<long, (int Index, float Score, float Sum, int Count)>();
        for (int i = 0; i < scores.Length; i++)
        {
            if (!float.IsFinite(scores[i])) continue;
            long t = trackOf[i];
            if (!best.TryGetValue(t, out var b)) best[t] = (i, scores[i], scores[i], 1);
            else best[t] = (scores[i] > b.Score ? i : b.Index, MathF.Max(b.Score, scores[i]), b.Sum + scores[i], b.Count + 1);
        }
        var order = best.Where(kv => keep is null || keep(kv.Key)).OrderByDescending(kv => kv.Value.Score).ThenBy(kv => kv.Key).ToList();
        bool wantTags = options.Tags is { Count: > 0 };
        var result = new List<Recommendation>();
        for (int at = 0; at < order.Count && result.Count < options.Top; at += 64)
        {
            var chunk = order.Skip(at).Take(64).ToList();
            var tracks = catalog.TracksById(chunk.Select(kv => kv.Key));
            var extra = catalog.TagsAndVectors(chunk.Select(kv => kv.Key));
            var spans = catalog.SegmentSpans(chunk.Select(kv => segments[kv.Value.Index]));
            foreach (var (id, b) in chunk)
            {
                if (result.Count >= options.Top) break;
                if (!tracks.TryGetValue(id, out var track)) continue;
                double d = track.Metadata.Duration;
                if (options.MinDuration is { } lo && d < lo) continue;
                if (options.MaxDuration is { } hi && d > hi) continue;
                var tags = extra[id].Tags;
                if (wantTags && !options.Tags!.All(w => tags.Any(x => Recommender.TagMatches(x.Name, w)))) continue;
                var span = spans[segments[b.Index]];
                result.Add(new Recommendation(result.Count + 1, track, span.Start, span.End, b.Score, b.Sum / b.Count, tags));
            }
        }
        return result;
    }

    /// <summary>(x − mean) / std over the finite entries: scores of different kinds made comparable before a blend.</summary>
    public static float[] Standardise(float[] x)
    {
        var finite = x.Where(float.IsFinite).ToArray();
        if (finite.Length == 0) return x.ToArray();
        double mean = finite.Average();
        double sd = Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / finite.Length);
        if (!(sd > 1e-9)) sd = 1;
        return x.Select(v => (float)((v - mean) / sd)).ToArray();
    }
}
