using System.Diagnostics;
using Viml.Encoders;

namespace Viml.Catalog;

/// <summary>
/// The queries that score every segment and blend (<see cref="Steering"/>): words alone, the text knob, "more like
/// this". Each part gives one score per segment; parts are standardised over the catalog and mixed; tracks are
/// ranked by their best segment (<see cref="SegmentRanking"/>). The words' and features' tables are loaded on first
/// use and again whenever the catalog changes.
/// </summary>
public sealed class SteeredSearch
{
    readonly MusicCatalog _catalog;
    readonly ITextEncoder _text;
    readonly VideoQuery? _query;
    readonly ICatalogModel? _model;
    readonly Func<IVectorIndex>? _index;   // the catalog's index as it is now (it follows catalog changes)
    WordSearch? _words;
    LikeSearch? _like;
    long _wordsStamp = -1, _likeStamp = -1;

    public SteeredSearch(MusicCatalog catalog, ITextEncoder text, VideoQuery? query = null, ICatalogModel? model = null,
        Func<IVectorIndex>? index = null)
    {
        _catalog = catalog; _text = text; _query = query; _model = model; _index = index;
    }

    public bool HasModel => _query != null;

    WordSearch Words()
    {
        long stamp = _catalog.ReadStamp();
        if (_words is null || stamp != _wordsStamp) { _words = WordSearch.Open(_catalog, _text); _wordsStamp = stamp; }
        return _words;
    }

    LikeSearch Like()
    {
        long stamp = _catalog.ReadStamp();
        if (_like is null || stamp != _likeStamp) { _like = LikeSearch.Open(_catalog); _likeStamp = stamp; }
        return _like;
    }

    public RecommendResult Recommend(string? videoPath, string? text, RecommendOptions options, Steering steering, Func<long, bool>? keep = null,
        CancellationToken ct = default)
    {
        options.Validate();
        steering.Validate();
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (videoPath is null && text is null && !steering.Likes) throw new InvalidInputException("a query needs a video, a text, --like, or some of them");
        if (videoPath != null && _query is null)
            throw new InvalidInputException("video queries need a trained model (--model <checkpoint>); words (--text) and --like work without one");
        var words = Words();
        var keys = words.Segments;
        var position = new Dictionary<long, int>(keys.Count);
        for (int i = 0; i < keys.Count; i++) position[keys[i]] = i;
        var textSw = new Stopwatch();
        var parts = new List<(float Weight, float[] Scores)>();
        QueryEmbedding? used = null;
        double w = text is null ? 0 : steering.Weight;

        if (videoPath != null)
        {
            if (w < 0.5) used = Add(parts, 1 - 2 * w, _query!.Embed(videoPath, null, ct), position);
            if (text != null && w > 0 && w < 1) used = Add(parts, w <= 0.5 ? 2 * w : 2 - 2 * w, _query!.Embed(videoPath, text, ct), position);
        }
        else if (text != null && _model != null && w < 1)
        {
            textSw.Start();
            var tb = _text.Embed([text])[0];
            textSw.Stop();
            if (_model.EmbedTextOnly(tb) is { } mt)
                used = Add(parts, 1 - (float)Math.Max(0, 2 * w - 1), new QueryEmbedding(mt, 0, 0, true, Zero), position);
        }
        if (text != null && (w > 0.5 || (videoPath is null && parts.Count == 0)))
        {
            textSw.Start();
            var s = words.Score(text);
            textSw.Stop();
            parts.Add((videoPath is null && parts.Count == 0 ? 1 : (float)Math.Min(1, 2 * w - 1), SegmentRanking.Standardise(s)));
        }
        var combined = Mix(parts, keys.Count);
        long? exclude = steering.LikeTrack;
        if (steering.Likes)
        {
            var like = Like();
            var q = steering.LikeFeatures ?? LikeSearch.FeaturesOfTrack(_catalog, steering.LikeTrack!.Value);
            var s = Align(like.Segments, SegmentRanking.Standardise(like.Score(q)), position);
            combined = combined is null ? s : Mix([(0.5f, combined), (0.5f, s)], keys.Count);
        }
        var sw = Stopwatch.StartNew();
        Func<long, bool>? filter = exclude is null && keep is null ? null : id => id != exclude && (keep?.Invoke(id) ?? true);
        var items = SegmentRanking.Rank(_catalog, keys, words.TrackOf, combined!, options, filter);
        var timings = (used?.Timings ?? Zero) with { TextEncoding = (used?.Timings.TextEncoding ?? TimeSpan.Zero) + textSw.Elapsed, Search = sw.Elapsed };
        return new RecommendResult(items, new QueryEmbedding(used?.Vector ?? [], used?.VideoSegments ?? 0, used?.SampledFrom ?? 0, text != null, timings));
    }

    /// <summary>Segments taken from an approximate (HNSW) index per model score.</summary>
    public const int ApproximateCandidates = 20_000;

    static readonly QueryTimings Zero = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    QueryEmbedding Add(List<(float, float[])> parts, double weight, QueryEmbedding q, Dictionary<long, int> position)
    {
        // Exact search scores every segment; an HNSW graph is asked for its best ApproximateCandidates only, and
        // segments outside them take no part in a blend with the model.
        var index = _index!();
        int k = index.Kind == IndexKind.Exact ? index.Count : Math.Min(index.Count, ApproximateCandidates);
        var hits = index.Search(q.Vector, k);
        var scores = new float[position.Count];
        Array.Fill(scores, float.NaN);
        foreach (var h in hits) if (position.TryGetValue(h.Key, out int i)) scores[i] = h.Score;
        parts.Add(((float)weight, SegmentRanking.Standardise(scores)));
        return q;
    }

    static float[] Align(IReadOnlyList<long> keys, float[] scores, Dictionary<long, int> position)
    {
        var result = new float[position.Count];
        Array.Fill(result, float.NaN);
        for (int i = 0; i < keys.Count; i++) if (position.TryGetValue(keys[i], out int p)) result[p] = scores[i];
        return result;
    }

    static float[]? Mix(IReadOnlyList<(float Weight, float[] Scores)> parts, int n)
    {
        if (parts.Count == 0) return null;
        var r = new float[n];
        foreach (var (wt, s) in parts) for (int i = 0; i < n; i++) r[i] += wt * s[i];
        return r;
    }
}
