using Microsoft.Data.Sqlite;
using static Viml.Catalog.CatalogSql;

namespace Viml.Catalog;

/// <summary>Tracks, their tags and their stored base features.</summary>
public sealed partial class MusicCatalog
{
    /// <summary>Tracks in the catalog (one query).</summary>
    public int CountTracks() { using var c = Connect(); return (int)(long)Scalar(c, null, "SELECT COUNT(*) FROM tracks")!; }
    /// <summary>Segments in the catalog (one query).</summary>
    public int CountSegments() { using var c = Connect(); return (int)(long)Scalar(c, null, "SELECT COUNT(*) FROM segments")!; }

    /// <summary>The stored identity of a path: (hash, size, mtime), or null when the catalog does not hold it.</summary>
    public (string Hash, long Size, long ModifiedTicks, string ModelId)? Lookup(string path)
    {
        using var c = Connect();
        using var cmd = Command(c, null, "SELECT hash, size, mtime, model_id FROM tracks WHERE path = $p", ("$p", path));
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3)) : null;
    }

    /// <summary>Records that a file kept its content though its size/time changed (a copy, a touch).</summary>
    public void Touch(string path, long size, long modifiedTicks)
    {
        CatalogWriteError.Guard(Root, () =>
        {
            using var c = Connect();
            Exec(c, null, "UPDATE tracks SET size = $s, mtime = $t WHERE path = $p", ("$s", size), ("$t", modifiedTicks), ("$p", path));
        });
    }

    /// <summary>Inserts a track with its segments, replacing any track at the same path, in one transaction.</summary>
    public long Put(TrackRecord t)
    {
        if (t.Segments.Count == 0) throw new ArgumentException("a track needs at least one segment");
        Viml.IO.NonFiniteValues.Refuse(t.Tags, t.Path, "the track's tag confidences");
        Viml.IO.NonFiniteValues.Refuse(t.Embedding, t.Path, "the track's vector");
        for (int i = 0; i < t.Segments.Count; i++)
        {
            var s = t.Segments[i];
            string segment = $"segment {i} ({s.Start:0.##}-{s.End:0.##} s)";
            Viml.IO.NonFiniteValues.Refuse(s.Features ?? [], t.Path, $"{segment} music features");
            Viml.IO.NonFiniteValues.Refuse(s.Tags ?? [], t.Path, $"{segment} tag confidences");
            Viml.IO.NonFiniteValues.Refuse(s.Embedding ?? [], t.Path, $"{segment} vector");
        }
        return CatalogWriteError.Guard(Root, () =>
        {
            using var c = Connect();
            using var tx = c.BeginTransaction();
            Exec(c, tx, "DELETE FROM tracks WHERE path = $p", ("$p", t.Path));
            var m = t.Metadata;
            long id = (long)Scalar(c, tx, """
                INSERT INTO tracks(path, hash, size, mtime, title, artist, album, genre, duration, tags, embedding, model_id, added_at)
                VALUES($p, $h, $s, $t, $title, $artist, $album, $genre, $d, $tags, $e, $model, $at) RETURNING id
                """, ("$p", t.Path), ("$h", t.Hash), ("$s", t.Size), ("$t", t.ModifiedTicks), ("$title", m.Title), ("$artist", m.Artist),
                ("$album", m.Album), ("$genre", m.Genre), ("$d", m.Duration), ("$tags", Blob(t.Tags)), ("$e", Blob(t.Embedding)),
                ("$model", t.ModelId), ("$at", DateTime.UtcNow.ToString("O")))!;
            using (var seg = Command(c, tx, """INSERT INTO segments(track_id, ord, start, "end", features, tags, embedding) VALUES($t, $o, $s, $e, $f, $g, $v)"""))
            {
                var ps = new[] { "$t", "$o", "$s", "$e", "$f", "$g", "$v" }.Select(n => seg.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
                for (int i = 0; i < t.Segments.Count; i++)
                {
                    var s = t.Segments[i];
                    if (s.Features is null || s.Features.Length != Info.MusicDimension || s.Embedding is null || s.Embedding.Length != Info.Dimension)
                        throw new InvalidInputException($"{t.Path}: segment {i} has {s.Features?.Length}-d features and a {s.Embedding?.Length}-d vector, the catalog holds {Info.MusicDimension}-d and {Info.Dimension}-d");
                    ps[0].Value = id; ps[1].Value = i; ps[2].Value = s.Start; ps[3].Value = s.End;
                    ps[4].Value = Blob(s.Features); ps[5].Value = Blob(s.Tags); ps[6].Value = Blob(s.Embedding);
                    seg.ExecuteNonQuery();
                }
            }
            using (var tag = Command(c, tx, "INSERT INTO track_tags(track_id, tag, confidence) VALUES($t, $n, $c)"))
            {
                var pt = tag.Parameters.AddWithValue("$t", id); var pn = tag.Parameters.AddWithValue("$n", ""); var pc = tag.Parameters.AddWithValue("$c", 0.0);
                for (int i = 0; i < t.Tags.Length && i < Info.TagNames.Count; i++)
                {
                    if (t.Tags[i] < TagThreshold) continue;
                    pn.Value = Info.TagNames[i]; pc.Value = (double)t.Tags[i];
                    tag.ExecuteNonQuery();
                }
            }
            if (t.Rhythm is { } rhythm) RhythmStore.Write(c, tx, id, rhythm, t.Segments.Select(x => (x.Start, x.End)).ToList());
            BumpStamp(c, tx);
            tx.Commit();
            return id;
        });
    }

    /// <summary>Drops a track and its segments; false when the catalog does not hold the path.</summary>
    public bool Remove(string path)
    {
        return CatalogWriteError.Guard(Root, () =>
        {
            using var c = Connect();
            using var tx = c.BeginTransaction();
            int n = Exec(c, tx, "DELETE FROM tracks WHERE path = $p", ("$p", path));
            if (n > 0) BumpStamp(c, tx);
            tx.Commit();
            return n > 0;
        });
    }

    /// <summary>The columns <see cref="ReadTrack"/> reads, from <c>tracks t</c>.</summary>
    const string SelectTrack = """
        SELECT t.id, t.path, t.hash, t.title, t.artist, t.album, t.genre, t.duration, t.model_id,
               (SELECT COUNT(*) FROM segments s WHERE s.track_id = t.id)
        FROM tracks t
        """;

    public IReadOnlyList<CatalogTrack> Tracks()
    {
        using var c = Connect();
        using var cmd = Command(c, null, SelectTrack + " ORDER BY t.path");
        using var r = cmd.ExecuteReader();
        var list = new List<CatalogTrack>();
        while (r.Read()) list.Add(ReadTrack(r));
        return list;
    }

    public CatalogTrack? Track(long id)
    {
        using var c = Connect();
        using var cmd = Command(c, null, SelectTrack + " WHERE t.id = $id", ("$id", id));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadTrack(r) : null;
    }

    static CatalogTrack ReadTrack(SqliteDataReader r) => new(r.GetInt64(0), r.GetString(1), r.GetString(2),
        new TrackMetadata(r.GetString(3), Str(r, 4), Str(r, 5), Str(r, 6), r.GetDouble(7)), r.GetInt32(9), r.GetString(8));

    /// <summary>Several tracks in one round trip (unknown ids are absent from the result).</summary>
    public Dictionary<long, CatalogTrack> TracksById(IEnumerable<long> ids)
    {
        var result = new Dictionary<long, CatalogTrack>();
        using var c = Connect();
        using var cmd = Command(c, null, SelectTrack + " WHERE t.id = $id");
        var p = cmd.Parameters.AddWithValue("$id", 0L);
        foreach (var id in ids.Distinct())
        {
            p.Value = id;
            using var r = cmd.ExecuteReader();
            if (r.Read()) result[id] = ReadTrack(r);
        }
        return result;
    }

    const string SelectTags = "SELECT tag, confidence FROM track_tags WHERE track_id = $t ORDER BY confidence DESC";

    /// <summary>Tags (above <see cref="TagThreshold"/>, most confident first) and whole-track vectors of several tracks in one round trip.</summary>
    public Dictionary<long, (IReadOnlyList<TrackTag> Tags, float[] Embedding)> TagsAndVectors(IEnumerable<long> ids)
    {
        var result = new Dictionary<long, (IReadOnlyList<TrackTag>, float[])>();
        using var c = Connect();
        using var tags = Command(c, null, SelectTags);
        var pt = tags.Parameters.AddWithValue("$t", 0L);
        using var vec = Command(c, null, "SELECT embedding FROM tracks WHERE id = $t");
        var pv = vec.Parameters.AddWithValue("$t", 0L);
        foreach (var id in ids.Distinct())
        {
            pt.Value = id; pv.Value = id;
            var list = new List<TrackTag>();
            using (var r = tags.ExecuteReader()) while (r.Read()) list.Add(new TrackTag(r.GetString(0), (float)r.GetDouble(1)));
            result[id] = (list, vec.ExecuteScalar() is byte[] b ? Floats(b) : []);
        }
        return result;
    }

    /// <summary>Tags of a track above <see cref="TagThreshold"/>, most confident first.</summary>
    public IReadOnlyList<TrackTag> TagsOf(long trackId) => TagsAndVectors([trackId])[trackId].Tags;

    /// <summary>Base music features of every segment of a track, in order (what a re-embed needs).</summary>
    public (long TrackId, long[] SegmentIds, float[][] Features) FeaturesOf(long trackId)
    {
        using var c = Connect();
        using var cmd = Command(c, null, "SELECT id, features FROM segments WHERE track_id = $t ORDER BY ord", ("$t", trackId));
        using var r = cmd.ExecuteReader();
        var ids = new List<long>(); var f = new List<float[]>();
        while (r.Read()) { ids.Add(r.GetInt64(0)); f.Add(Floats((byte[])r[1])); }
        return (trackId, ids.ToArray(), f.ToArray());
    }

    /// <summary>Ids of tracks whose vectors come from another model than the current one.</summary>
    public IReadOnlyList<long> StaleTrackIds()
    {
        using var c = Connect();
        using var cmd = Command(c, null, "SELECT id FROM tracks WHERE model_id <> $m ORDER BY id", ("$m", Info.ModelId));
        using var r = cmd.ExecuteReader();
        var list = new List<long>();
        while (r.Read()) list.Add(r.GetInt64(0));
        return list;
    }

    /// <summary>Replaces a track's vectors (track + each segment) in one transaction.</summary>
    public void PutEmbeddings(long trackId, float[] trackEmbedding, long[] segmentIds, float[][] segmentEmbeddings, string modelId)
    {
        Viml.IO.NonFiniteValues.Refuse(trackEmbedding, $"{Root}: track {trackId}", "the track's vector");
        Viml.IO.NonFiniteValues.RefuseRows(segmentEmbeddings, $"{Root}: track {trackId}", i => $"segment {i} vector");
        CatalogWriteError.Guard(Root, () =>
        {
            using var c = Connect();
            using var tx = c.BeginTransaction();
            Exec(c, tx, "UPDATE tracks SET embedding = $e, model_id = $m WHERE id = $id", ("$e", Blob(trackEmbedding)), ("$m", modelId), ("$id", trackId));
            using (var cmd = Command(c, tx, "UPDATE segments SET embedding = $e WHERE id = $id"))
            {
                var pe = cmd.Parameters.AddWithValue("$e", Array.Empty<byte>()); var pid = cmd.Parameters.AddWithValue("$id", 0L);
                for (int i = 0; i < segmentIds.Length; i++) { pe.Value = Blob(segmentEmbeddings[i]); pid.Value = segmentIds[i]; cmd.ExecuteNonQuery(); }
            }
            BumpStamp(c, tx);
            tx.Commit();
        });
    }
}
