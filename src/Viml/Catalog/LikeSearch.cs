using System.Numerics.Tensors;

namespace Viml.Catalog;

/// <summary>
/// "More like this": segments scored by the cosine similarity of their base music features (musicnn, stored for
/// every segment whatever the model) to the mean features of a catalog track or of an audio file, both centred on
/// the catalog's mean feature so that what every piece shares does not count. Needs no trained model.
/// </summary>
public sealed class LikeSearch
{
    public IReadOnlyList<long> Segments { get; }
    public IReadOnlyList<long> TrackOf { get; }
    readonly float[] _features;   // centred and L2-normalised, one row per segment
    readonly float[] _mean;
    readonly int _d;

    LikeSearch(long[] keys, long[] tracks, float[] features, int d)
    {
        Segments = keys; TrackOf = tracks; _d = d;
        int n = keys.Length;
        _mean = new float[d];
        for (int i = 0; i < n; i++) TensorPrimitives.Add(_mean, features.AsSpan(i * d, d), _mean);
        if (n > 0) TensorPrimitives.Divide(_mean, n, _mean);
        for (int i = 0; i < n; i++) Normalise(features.AsSpan(i * d, d));
        _features = features;
    }

    void Normalise(Span<float> row)
    {
        TensorPrimitives.Subtract(row, _mean, row);
        float norm = TensorPrimitives.Norm(row);
        if (norm > 0) TensorPrimitives.Divide(row, norm, row);
    }

    public static LikeSearch Open(MusicCatalog catalog)
    {
        int d = catalog.Info.MusicDimension;
        using var c = catalog.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, track_id, features FROM segments ORDER BY id";
        using var r = cmd.ExecuteReader();
        var keys = new List<long>(); var tracks = new List<long>(); var all = new List<float>();
        while (r.Read())
        {
            var f = MusicCatalog.Floats((byte[])r[2]);
            if (f.Length != d) throw new InvalidInputException($"{catalog.Root}: segment {r.GetInt64(0)} holds {f.Length}-d features, the catalog {d}-d");
            keys.Add(r.GetInt64(0)); tracks.Add(r.GetInt64(1)); all.AddRange(f);
        }
        return new LikeSearch(keys.ToArray(), tracks.ToArray(), all.ToArray(), d);
    }

    /// <summary>The mean base features of a catalog track.</summary>
    public static float[] FeaturesOfTrack(MusicCatalog catalog, long trackId)
    {
        var (_, _, feats) = catalog.FeaturesOf(trackId);
        if (feats.Length == 0) throw new InvalidInputException($"--like {trackId}: the catalog holds no track with this id (see `viml catalog list`)");
        return Mean(feats);
    }

    public static float[] Mean(IReadOnlyList<float[]> rows)
    {
        var m = new float[rows[0].Length];
        foreach (var f in rows) TensorPrimitives.Add(m, f, m);
        TensorPrimitives.Divide(m, rows.Count, m);
        return m;
    }

    /// <summary>One score per segment of <see cref="Segments"/>: cosine of centred base features.</summary>
    public float[] Score(float[] features)
    {
        if (features.Length != _d) throw new InvalidInputException($"--like: {features.Length}-d features, the catalog holds {_d}-d");
        var q = features.ToArray();
        Normalise(q);
        var scores = new float[Segments.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = TensorPrimitives.Dot<float>(_features.AsSpan(i * _d, _d), q);
        return scores;
    }
}
