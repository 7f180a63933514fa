using System.Diagnostics;

namespace Viml.Catalog;

/// <summary>A ranked list and the query that produced it.</summary>
public sealed record RecommendResult(IReadOnlyList<Recommendation> Items, QueryEmbedding Query)
{
    /// <summary>Tempo, pace fit and suggested start of the items whose tracks have stored rhythm, by track id.</summary>
    public IReadOnlyDictionary<long, TrackRhythm> Rhythm { get; init; } = new Dictionary<long, TrackRhythm>();
}

/// <summary>
/// The whole recommend path over one catalog: video and/or text → query embedding → segment search →
/// ranked tracks. Refuses a catalog whose vectors come from another model. One query at a time
/// (the encoders hold native sessions); the CLI and the web app share it.
/// </summary>
public sealed class RecommendService : IDisposable
{
    readonly VideoQuery? _query;
    readonly LiveIndex _live;
    readonly SteeredSearch _steered;
    readonly object _gate = new();
    /// <summary>No trained model: words and "more like this" only (<see cref="SteeredSearch"/>).</summary>
    public bool WordsOnly => _query is null;
    /// <summary>Makes the filter of tracks a query may return unless non-music is asked for (null: all); see <see cref="SoundKinds"/>.</summary>
    public Func<Func<long, bool>?>? MusicOnly { get; set; }
    public MusicCatalog Catalog { get; }
    public ICatalogModel Model { get; }
    /// <summary>The index as last loaded; reloaded by a query when the catalog changed (<see cref="LiveIndex"/>).</summary>
    public IVectorIndex Index => _live.Index;

    public RecommendService(MusicCatalog catalog, QueryParts parts, IndexKind kind = IndexKind.Auto)
    {
        catalog.EnsureCurrent(parts.Model.Id);
        Catalog = catalog; Model = parts.Model;
        _query = new VideoQuery(parts);
        _live = new LiveIndex(catalog, parts.Model.Id, kind);
        _steered = new SteeredSearch(catalog, parts.Text, _query, parts.Model, () => _live.Current().Index);
    }

    /// <summary>Words alone, no trained model: the catalog answers sentences and "more like this".</summary>
    public RecommendService(MusicCatalog catalog, Viml.Encoders.ITextEncoder text, IndexKind kind = IndexKind.Auto)
    {
        Catalog = catalog;
        Model = new BaseMusicModel(catalog.Info.MusicEncoder, catalog.Info.MusicDimension);
        _live = new LiveIndex(catalog, catalog.Info.ModelId, kind);
        _steered = new SteeredSearch(catalog, text);
    }

    /// <summary>A query steered by the text knob, "more like this" and the music-only filter (<see cref="Steering"/>).</summary>
    public RecommendResult Recommend(string? videoPath, string? text, RecommendOptions options, Steering steering,
        CancellationToken ct = default, RhythmOptions? rhythm = null)
    {
        options.Validate();
        rhythm?.Validate();
        var keep = steering.IncludeNonMusic ? null : MusicOnly?.Invoke();
        bool plain = !WordsOnly && !steering.Likes && (string.IsNullOrWhiteSpace(text) || steering.Weight == 0.5) && keep is null;
        if (plain) return Recommend(videoPath, text, options, ct, rhythm);
        RecommendResult result;
        lock (_gate) result = _steered.Recommend(videoPath, text, Widen(options, rhythm), steering, keep, ct);
        return rhythm is null ? result : PaceRanking.Apply(Catalog, result, rhythm, options.Top);
    }

    /// <summary>Rhythm filters and the pace term re-rank, so they start from more candidates than they return.</summary>
    static RecommendOptions Widen(RecommendOptions options, RhythmOptions? rhythm) =>
        rhythm is null ? options : options with { Top = PaceRanking.Widen(options.Top, rhythm) };

    /// <summary>The model's own score, unsteered: video + text as the model fuses them (text weight 0.5), every kind of
    /// sound kept. Not what <c>recommend</c> does by default: that is the overload with <see cref="Steering.Default"/>.</summary>
    public RecommendResult Recommend(string? videoPath, string? text, RecommendOptions options, CancellationToken ct = default,
        RhythmOptions? rhythm = null)
    {
        options.Validate();
        rhythm?.Validate();
        if (_query is null) return Recommend(videoPath, text, options, Steering.Default, ct, rhythm);
        lock (_gate)
        {
            var q = _query.Embed(videoPath, text, ct);
            var sw = Stopwatch.StartNew();
            var items = _live.Current().Recommend(q.Vector, Widen(options, rhythm));
            var result = new RecommendResult(items, q with { Timings = q.Timings with { Search = sw.Elapsed } });
            return rhythm is null ? result : PaceRanking.Apply(Catalog, result, rhythm, options.Top);
        }
    }

    public void Dispose() => _live.Dispose();
}
