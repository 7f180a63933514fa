namespace Viml.Catalog;

/// <summary>
/// Why a recommendation came back empty, in one sentence a user can act on: an empty catalog, a duration range no
/// track falls in (with the range the tracks do cover), a tag no track carries, or filters that each match some
/// tracks but never the same ones.
/// </summary>
public static class NoMatch
{
    public static string Explain(MusicCatalog catalog, RecommendOptions o)
    {
        var tracks = catalog.Tracks();
        if (tracks.Count == 0)
            return $"no track matched: the catalog {catalog.Root} holds no tracks; add some with `viml catalog add`";
        var reasons = new List<string>();
        var passing = tracks.Where(t => InRange(t, o)).Select(t => t.Id).ToHashSet();
        if (o.MinDuration is not null || o.MaxDuration is not null)
        {
            string range = o.MaxDuration is null ? $"at least {o.MinDuration:0.#} s"
                : o.MinDuration is null ? $"at most {o.MaxDuration:0.#} s"
                : $"{o.MinDuration:0.#}-{o.MaxDuration:0.#} s";
            double shortest = tracks.Min(t => t.Metadata.Duration), longest = tracks.Max(t => t.Metadata.Duration);
            reasons.Add(passing.Count == 0
                ? $"no track lasts {range} (the {tracks.Count} tracks last {shortest:0.#}-{longest:0.#} s)"
                : $"{passing.Count} track(s) last {range}");
        }
        if (o.Tags is { Count: > 0 })
        {
            var tags = catalog.TagsAndVectors(tracks.Select(t => t.Id));
            foreach (var wanted in o.Tags)
            {
                var with = tags.Where(kv => kv.Value.Tags.Any(x => Recommender.TagMatches(x.Name, wanted)))
                    .Select(kv => kv.Key).ToHashSet();
                reasons.Add(with.Count == 0 ? $"no track carries the tag '{wanted}'" : $"{with.Count} track(s) carry the tag '{wanted}'");
                passing.IntersectWith(with);
            }
        }
        if (reasons.Count == 0)
            return $"no track matched although {tracks.Count} track(s) pass the filters; " +
                   "the catalog's index may be out of date (run `viml catalog sync`)";
        bool eachMatchesSome = !reasons.Any(r => r.StartsWith("no track", StringComparison.Ordinal));
        string together = passing.Count == 0 && reasons.Count > 1 && eachMatchesSome ? "; no track passes all of them together" : "";
        return "no track matched the filters: " + string.Join("; ", reasons) + together;
    }

    static bool InRange(CatalogTrack t, RecommendOptions o) =>
        !(o.MinDuration is { } lo && t.Metadata.Duration < lo) && !(o.MaxDuration is { } hi && t.Metadata.Duration > hi);
}
