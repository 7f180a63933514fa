using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Viml.Catalog;

/// <summary>A track as the catalog knows it.</summary>
public sealed record CatalogTrack(long Id, string Path, string Hash, TrackMetadata Metadata, int Segments, string? ModelId);

/// <summary>A tag of a track with its mean confidence over the track's segments.</summary>
public sealed record TrackTag(string Name, float Confidence);

/// <summary>Everything stored for one analysed audio file, written in one transaction.</summary>
public sealed record TrackRecord(
    string Path, string Hash, long Size, long ModifiedTicks, TrackMetadata Metadata,
    IReadOnlyList<SegmentRecord> Segments, float[] Embedding, float[] Tags, string ModelId)
{
    /// <summary>Tempo, beats, downbeats and energy, stored beside the track by <see cref="RhythmStore"/> (null: none).</summary>
    public Viml.Rhythm.RhythmAnalysis? Rhythm { get; init; }
}

/// <summary>One segment of a track: where it is, its base music features, tag confidences and embedding.</summary>
public sealed record SegmentRecord(double Start, double End, float[] Features, float[] Tags, float[] Embedding);

/// <summary>Who made the catalog's vectors: the base music encoder (fixed for a catalog) and the model (changeable).</summary>
public sealed record CatalogInfo(string MusicEncoder, int MusicDimension, IReadOnlyList<string> TagNames, string ModelId, int Dimension);

/// <summary>
/// A music catalog: one folder holding <c>catalog.db</c> (SQLite: tracks, segments with base features,
/// tags and embeddings) and the segment vector index files derived from it. Copy the folder and you copy
/// the catalog. The database is the source of truth: every track is written in one transaction, and
/// the index is rebuilt (exact) or patched (HNSW) from it whenever its stamp says it is behind.
/// </summary>
public sealed class MusicCatalog
{
    public const string DatabaseFile = "catalog.db";
    const string Format = "viml-catalog/1";
    /// <summary>Tags a track shows (and <c>--tag</c> filters on) need this mean confidence, the paper's threshold.</summary>
    public const float TagThreshold = 0.3f;

    public string Root { get; }
    public CatalogInfo Info { get; private set; }
    readonly string _connectionString;

    MusicCatalog(string root, string cs, CatalogInfo info) { Root = root; _connectionString = cs; Info = info; }

    public static bool Exists(string root) => File.Exists(System.IO.Path.Combine(root, DatabaseFile));

    internal SqliteConnection Connect()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        cmd.ExecuteNonQuery();
        return c;
    }

    static string ConnectionString(string root, bool create) => new SqliteConnectionStringBuilder
    {
        DataSource = System.IO.Path.Combine(root, DatabaseFile),
        Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        Pooling = true,
    }.ToString();

    /// <summary>Opens an existing catalog folder.</summary>
    public static MusicCatalog Open(string root)
    {
        root = System.IO.Path.GetFullPath(root);
        if (!Exists(root)) throw new InvalidInputException($"{root}: not a Viml catalog (no {DatabaseFile}); create one with `viml catalog add`");
        var cs = ConnectionString(root, create: false);
        try
        {
            using var c = new SqliteConnection(cs);
            c.Open();
            var meta = ReadMeta(c);
            if (!meta.TryGetValue("format", out var f) || f != Format) throw new InvalidInputException($"{root}: {DatabaseFile} is not a {Format} database");
            return new MusicCatalog(root, cs, InfoFrom(meta));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1) { throw new InvalidInputException($"{root}/{DatabaseFile}: not a {Format} database ({e.Message})", e); }
        catch (SqliteException e) { throw new InvalidInputException($"{root}/{DatabaseFile}: cannot read the catalog ({e.Message})", e); }
    }

    /// <summary>Opens a catalog, creating the folder and database when absent. An existing catalog must have been made
    /// with the same base music encoder; a different model id makes it stale (see <see cref="StaleTracks"/>).</summary>
    public static MusicCatalog OpenOrCreate(string root, CatalogInfo info)
    {
        root = System.IO.Path.GetFullPath(root);
        if (Exists(root) && !IsBlank(root))
        {
            var cat = Open(root);
            var a = cat.Info;
            if (a.MusicEncoder != info.MusicEncoder || a.MusicDimension != info.MusicDimension)
                throw new InvalidInputException($"{root}: this catalog holds features of {a.MusicEncoder} ({a.MusicDimension}-d), not {info.MusicEncoder} ({info.MusicDimension}-d); use a new folder");
            Viml.IO.AtomicFile.RemoveOrphans(root, recursive: true);   // index temp files of a killed writer
            return cat;
        }
        try { Directory.CreateDirectory(root); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw OutputException.For(root, "cannot create the catalog folder", e); }
        var cs = ConnectionString(root, create: true);
        try
        {
            using (var c = new SqliteConnection(cs))
            {
                c.Open();
                using var tx = c.BeginTransaction();
                Exec(c, tx, """
                    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS tracks(
                        id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE, hash TEXT NOT NULL,
                        size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                        title TEXT NOT NULL, artist TEXT, album TEXT, genre TEXT, duration REAL NOT NULL,
                        tags BLOB NOT NULL, embedding BLOB NOT NULL, model_id TEXT NOT NULL, added_at TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS tracks_hash ON tracks(hash);
                    CREATE TABLE IF NOT EXISTS segments(
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
                        ord INTEGER NOT NULL, start REAL NOT NULL, "end" REAL NOT NULL,
                        features BLOB NOT NULL, tags BLOB NOT NULL, embedding BLOB NOT NULL);
                    CREATE INDEX IF NOT EXISTS segments_track ON segments(track_id);
                    CREATE TABLE IF NOT EXISTS track_tags(
                        track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
                        tag TEXT NOT NULL, confidence REAL NOT NULL, PRIMARY KEY(track_id, tag));
                    CREATE INDEX IF NOT EXISTS track_tags_tag ON track_tags(tag);
                    """);
                SetMeta(c, tx, "format", Format);
                SetMeta(c, tx, "music_encoder", info.MusicEncoder);
                SetMeta(c, tx, "music_dimension", info.MusicDimension.ToString());
                SetMeta(c, tx, "tag_names", JsonSerializer.Serialize(info.TagNames));
                SetMeta(c, tx, "model_id", info.ModelId);
                SetMeta(c, tx, "dimension", info.Dimension.ToString());
                SetMeta(c, tx, "stamp", "0");
                SetMeta(c, tx, "roots", "[]");
                tx.Commit();
                Exec(c, null, "PRAGMA journal_mode=WAL;");
            }
        }
        catch (SqliteException e) when (CatalogWriteError.Applies(e)) { throw CatalogWriteError.For(root, e); }
        return new MusicCatalog(root, cs, info);
    }

    /// <summary>A database without a single table: what a kill during <see cref="OpenOrCreate"/> leaves (SQLite rolls the
    /// unfinished creation back on open). It is created again rather than refused.</summary>
    internal static bool IsBlank(string root)
    {
        try
        {
            using var c = new SqliteConnection(ConnectionString(root, create: false));
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master";
            return (long)cmd.ExecuteScalar()! == 0;
        }
        catch (SqliteException) { return false; }
    }

    // ---- meta -------------------------------------------------------------------------------------

    /// <summary>Changes of the segment set: bumped in the same transaction as every insert or delete; index files carry the stamp they were built from.</summary>
    public long Stamp { get { using var c = Connect(); return long.Parse(ReadMeta(c)["stamp"]); } }

    /// <summary>Folders given to <c>add</c>, rescanned by <c>sync</c>.</summary>
    public IReadOnlyList<string> Roots { get { using var c = Connect(); return JsonSerializer.Deserialize<string[]>(ReadMeta(c)["roots"]) ?? []; } }

    public void AddRoot(string folder)
    {
        try
        {
            using var c = Connect();
            using var tx = c.BeginTransaction();
            var roots = (JsonSerializer.Deserialize<List<string>>(ReadMeta(c, tx)["roots"]) ?? []);
            if (!roots.Contains(folder)) { roots.Add(folder); SetMeta(c, tx, "roots", JsonSerializer.Serialize(roots)); }
            tx.Commit();
        }
        catch (SqliteException e) when (CatalogWriteError.Applies(e)) { throw CatalogWriteError.For(Root, e); }
    }

    /// <summary>Points the catalog at another model: every track embedded by another becomes stale until re-embedded.</summary>
    public void SetModel(string modelId, int dimension)
    {
        try
        {
            using var c = Connect();
            using var tx = c.BeginTransaction();
            SetMeta(c, tx, "model_id", modelId);
            SetMeta(c, tx, "dimension", dimension.ToString());
            BumpStamp(c, tx);
            tx.Commit();
            Info = Info with { ModelId = modelId, Dimension = dimension };
        }
        catch (SqliteException e) when (CatalogWriteError.Applies(e)) { throw CatalogWriteError.For(Root, e); }
    }

    /// <summary>Tracks whose vectors were made by another model than the catalog's current one.</summary>
    public int StaleTracks
    {
        get
        {
            using var c = Connect();
            return (int)(long)Scalar(c, null, "SELECT COUNT(*) FROM tracks WHERE model_id <> $m", ("$m", Info.ModelId))!;
        }
    }

    /// <summary>Throws <see cref="StaleCatalogException"/> unless every vector comes from <paramref name="modelId"/>.</summary>
    public void EnsureCurrent(string modelId)
    {
        if (Info.ModelId != modelId)
            throw new StaleCatalogException($"{Root}: the catalog was embedded with model {Info.ModelId}, not {modelId}; run `viml catalog reembed --catalog {Root} --model <checkpoint>`");
        int stale = StaleTracks;
        if (stale > 0)
            throw new StaleCatalogException($"{Root}: {stale} track(s) still carry vectors of an older model; run `viml catalog reembed --catalog {Root} --model <checkpoint>` to finish");
    }

    // ---- tracks -----------------------------------------------------------------------------------

    public int TrackCount { get { using var c = Connect(); return (int)(long)Scalar(c, null, "SELECT COUNT(*) FROM tracks")!; } }
    public int SegmentCount { get { using var c = Connect(); return (int)(long)Scalar(c, null, "SELECT COUNT(*) FROM segments")!; } }

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
        try
        {
            using var c = Connect();
            Exec(c, null, "UPDATE tracks SET size = $s, mtime = $t WHERE path = $p", ("$s", size), ("$t", modifiedTicks), ("$p", path));
        }
        catch (SqliteException e) when (CatalogWriteError.Applies(e)) { throw CatalogWriteError.For(Root, e); }
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
        try
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
        }
        catch (SqliteException e) when (CatalogWriteError.Applies(e)) { throw CatalogWriteError.For(Root, e); }
    }

    /// <summary>Drops a track and its segments; false when the catalog does not hold the path.</summary>
    public bool Remove(string path)
    {
        try
        {
            using var c = Connect();
            using var tx = c.BeginTransaction();
            int n = Exec(c, tx, "DELETE FROM tracks WHERE path = $p", ("$p", path));
            if (n > 0) BumpStamp(c, tx);
            tx.Commit();
            return n > 0;
        }
        catch (SqliteException e) when (CatalogWriteError.Applies(e)) { throw CatalogWriteError.For(Root, e); }
    }

    public IReadOnlyList<CatalogTrack> Tracks()
    {
        using var c = Connect();
        using var cmd = Command(c, null, """
            SELECT t.id, t.path, t.hash, t.title, t.artist, t.album, t.genre, t.duration, t.model_id,
                   (SELECT COUNT(*) FROM segments s WHERE s.track_id = t.id)
            FROM tracks t ORDER BY t.path
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<CatalogTrack>();
        while (r.Read()) list.Add(ReadTrack(r));
        return list;
    }

    public CatalogTrack? Track(long id)
    {
        using var c = Connect();
        using var cmd = Command(c, null, """
            SELECT t.id, t.path, t.hash, t.title, t.artist, t.album, t.genre, t.duration, t.model_id,
                   (SELECT COUNT(*) FROM segments s WHERE s.track_id = t.id)
            FROM tracks t WHERE t.id = $id
            """, ("$id", id));
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
        using var cmd = Command(c, null, """
            SELECT t.id, t.path, t.hash, t.title, t.artist, t.album, t.genre, t.duration, t.model_id,
                   (SELECT COUNT(*) FROM segments s WHERE s.track_id = t.id)
            FROM tracks t WHERE t.id = $id
            """);
        var p = cmd.Parameters.AddWithValue("$id", 0L);
        foreach (var id in ids.Distinct())
        {
            p.Value = id;
            using var r = cmd.ExecuteReader();
            if (r.Read()) result[id] = ReadTrack(r);
        }
        return result;
    }

    /// <summary>Tags (above <see cref="TagThreshold"/>, most confident first) and whole-track vectors of several tracks in one round trip.</summary>
    public Dictionary<long, (IReadOnlyList<TrackTag> Tags, float[] Embedding)> TagsAndVectors(IEnumerable<long> ids)
    {
        var result = new Dictionary<long, (IReadOnlyList<TrackTag>, float[])>();
        using var c = Connect();
        using var tags = Command(c, null, "SELECT tag, confidence FROM track_tags WHERE track_id = $t ORDER BY confidence DESC");
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
    public IReadOnlyList<TrackTag> TagsOf(long trackId)
    {
        using var c = Connect();
        using var cmd = Command(c, null, "SELECT tag, confidence FROM track_tags WHERE track_id = $t ORDER BY confidence DESC", ("$t", trackId));
        using var r = cmd.ExecuteReader();
        var list = new List<TrackTag>();
        while (r.Read()) list.Add(new TrackTag(r.GetString(0), (float)r.GetDouble(1)));
        return list;
    }

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
        try
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
        }
        catch (SqliteException e) when (CatalogWriteError.Applies(e)) { throw CatalogWriteError.For(Root, e); }
    }

    /// <summary>All segment vectors, ordered by segment id (= the index keys), as one contiguous matrix.</summary>
    public (long[] Keys, float[] Matrix, long Stamp) SegmentVectors(long afterKey = 0)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction();   // a consistent snapshot with its stamp
        long stamp = long.Parse(ReadMeta(c, tx)["stamp"]);
        int d = Info.Dimension;
        int n = (int)(long)Scalar(c, tx, "SELECT COUNT(*) FROM segments WHERE id > $a", ("$a", afterKey))!;
        var keys = new long[n];
        var matrix = new float[(long)n * d];
        using var cmd = Command(c, tx, "SELECT id, embedding FROM segments WHERE id > $a ORDER BY id", ("$a", afterKey));
        using var r = cmd.ExecuteReader();
        int i = 0;
        while (r.Read() && i < n)
        {
            keys[i] = r.GetInt64(0);
            var blob = (byte[])r[1];
            if (blob.Length != d * 4) throw new InvalidInputException($"{Root}: segment {keys[i]} holds a {blob.Length / 4}-d vector, the catalog's model gives {d}-d; run `viml catalog reembed`");
            MemoryMarshal.Cast<byte, float>(blob).CopyTo(matrix.AsSpan(i * d, d));
            i++;
        }
        return (keys, matrix, stamp);
    }

    /// <summary>Segment ids in (lo, hi] that the database still holds.</summary>
    public HashSet<long> SegmentKeysUpTo(long hi)
    {
        using var c = Connect();
        using var cmd = Command(c, null, "SELECT id FROM segments WHERE id <= $h", ("$h", hi));
        using var r = cmd.ExecuteReader();
        var set = new HashSet<long>();
        while (r.Read()) set.Add(r.GetInt64(0));
        return set;
    }

    /// <summary>Track, time span and vector of the given segments.</summary>
    public Dictionary<long, (long TrackId, double Start, double End)> SegmentSpans(IEnumerable<long> keys)
    {
        var result = new Dictionary<long, (long, double, double)>();
        using var c = Connect();
        using var cmd = Command(c, null, """SELECT track_id, start, "end" FROM segments WHERE id = $id""");
        var p = cmd.Parameters.AddWithValue("$id", 0L);
        foreach (var k in keys)
        {
            p.Value = k;
            using var r = cmd.ExecuteReader();
            if (r.Read()) result[k] = (r.GetInt64(0), r.GetDouble(1), r.GetDouble(2));
        }
        return result;
    }

    /// <summary>The whole-track embedding of a track.</summary>
    public float[]? TrackEmbedding(long trackId)
    {
        using var c = Connect();
        var b = Scalar(c, null, "SELECT embedding FROM tracks WHERE id = $id", ("$id", trackId)) as byte[];
        return b is null ? null : Floats(b);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static CatalogInfo InfoFrom(Dictionary<string, string> m) => new(
        m["music_encoder"], int.Parse(m["music_dimension"]),
        JsonSerializer.Deserialize<string[]>(m["tag_names"]) ?? [], m["model_id"], int.Parse(m["dimension"]));

    static Dictionary<string, string> ReadMeta(SqliteConnection c, SqliteTransaction? tx = null)
    {
        using var cmd = Command(c, tx, "SELECT key, value FROM meta");
        using var r = cmd.ExecuteReader();
        var d = new Dictionary<string, string>();
        while (r.Read()) d[r.GetString(0)] = r.GetString(1);
        return d;
    }

    static void SetMeta(SqliteConnection c, SqliteTransaction tx, string key, string value) =>
        Exec(c, tx, "INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", ("$k", key), ("$v", value));

    static void BumpStamp(SqliteConnection c, SqliteTransaction tx) =>
        Exec(c, tx, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'stamp'");

    static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] ps)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd;
    }

    static int Exec(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] ps)
    {
        using var cmd = Command(c, tx, sql, ps);
        return cmd.ExecuteNonQuery();
    }

    static object? Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] ps)
    {
        using var cmd = Command(c, tx, sql, ps);
        return cmd.ExecuteScalar();
    }

    static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    internal static byte[] Blob(float[] v) => MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
    internal static float[] Floats(byte[] b) => MemoryMarshal.Cast<byte, float>(b).ToArray();
}
