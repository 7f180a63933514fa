using Microsoft.Data.Sqlite;
using Viml.Sound;

namespace Viml.Catalog;

/// <summary>
/// Music, speech or other sound for each catalog segment and track, judged from the audio itself
/// (<see cref="SoundKindClassifier"/>, not the music taggers) and kept in the catalog's own tables
/// (<c>segment_kinds</c>, <c>track_kinds</c>; added in place to older catalogs). A track's kind is its segments'
/// majority. Recommendations leave non-music out unless asked (<see cref="Steering.IncludeNonMusic"/>).
/// </summary>
public static class SoundKinds
{
    const string Schema = """
        CREATE TABLE IF NOT EXISTS segment_kinds(
            segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
            track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE, kind TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS track_kinds(
            track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE, kind TEXT NOT NULL);
        """;

    public static string Name(SoundKind k) => k.ToString().ToLowerInvariant();

    public static SoundKind Parse(string s) => s.Trim().ToLowerInvariant() switch
    {
        "music" => SoundKind.Music,
        "speech" => SoundKind.Speech,
        "other" => SoundKind.Other,
        _ => throw new InvalidInputException($"--kind {s}: one of music, speech, other"),
    };

    /// <summary>Judges every track without a kind whose file is still there (decoding it again at 16 kHz);
    /// returns how many it judged. One transaction per track: resumable.</summary>
    public static int Ensure(MusicCatalog catalog, Func<string, int, CancellationToken, float[]> decodeMono, SoundKindClassifier? classifier = null,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default) =>
        CatalogWriteError.Guard(catalog.Root, () => EnsureCore(catalog, decodeMono, classifier, progress, ct));

    static int EnsureCore(MusicCatalog catalog, Func<string, int, CancellationToken, float[]> decodeMono, SoundKindClassifier? classifier = null,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        var model = classifier ?? SoundKindClassifier.Default;
        using var c = catalog.Connect();
        Exec(c, null, Schema);
        var todo = new List<(long Id, string Path)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT t.id, t.path FROM tracks t LEFT JOIN track_kinds k ON k.track_id = t.id WHERE k.track_id IS NULL ORDER BY t.id";
            using var r = cmd.ExecuteReader();
            while (r.Read()) todo.Add((r.GetInt64(0), r.GetString(1)));
        }
        int done = 0;
        foreach (var (id, path) in todo)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report((done, todo.Count));
            if (!File.Exists(path)) continue;
            float[] pcm;
            try { pcm = decodeMono(path, SoundFeatures.SampleRate, ct); }
            catch (MediaException) { continue; }
            var spans = new List<(long Segment, double Start, double End)>();
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = """SELECT id, start, "end" FROM segments WHERE track_id = $t ORDER BY ord""";
                cmd.Parameters.AddWithValue("$t", id);
                using var r = cmd.ExecuteReader();
                while (r.Read()) spans.Add((r.GetInt64(0), r.GetDouble(1), r.GetDouble(2)));
            }
            var kinds = spans.Select(s =>
            {
                int a = Math.Min(pcm.Length, (int)(s.Start * SoundFeatures.SampleRate)), b = Math.Min(pcm.Length, (int)(s.End * SoundFeatures.SampleRate));
                return model.Classify(SoundFeatures.Of(pcm.AsSpan(a, b - a)));
            }).ToList();
            using var tx = c.BeginTransaction();
            for (int i = 0; i < spans.Count; i++)
                Exec(c, tx, "INSERT OR REPLACE INTO segment_kinds(segment_id, track_id, kind) VALUES($s, $t, $k)", ("$s", spans[i].Segment), ("$t", id), ("$k", Name(kinds[i])));
            Exec(c, tx, "INSERT OR REPLACE INTO track_kinds(track_id, kind) VALUES($t, $k)", ("$t", id), ("$k", Name(SoundKindClassifier.Majority(kinds))));
            tx.Commit();
            done++;
        }
        progress?.Report((todo.Count, todo.Count));
        return done;
    }

    /// <summary>The kind of every judged track (tracks not judged yet are absent).</summary>
    public static Dictionary<long, SoundKind> OfTracks(MusicCatalog catalog) =>
        CatalogWriteError.Guard(catalog.Root, () => OfTracksCore(catalog));

    static Dictionary<long, SoundKind> OfTracksCore(MusicCatalog catalog)
    {
        using var c = catalog.Connect();
        Exec(c, null, Schema);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT track_id, kind FROM track_kinds";
        using var r = cmd.ExecuteReader();
        var d = new Dictionary<long, SoundKind>();
        while (r.Read()) d[r.GetInt64(0)] = Parse(r.GetString(1));
        return d;
    }

    /// <summary>Makes, once per query, a filter that keeps music and tracks not judged yet (null when every judged track
    /// is music: nothing to leave out); the kinds are read again when the catalog has changed.</summary>
    public static Func<Func<long, bool>?> MusicOnly(MusicCatalog catalog)
    {
        long stamp = -1;
        Dictionary<long, SoundKind> kinds = new();
        object gate = new();
        return () =>
        {
            lock (gate)
            {
                long now = catalog.ReadStamp();
                if (now != stamp) { kinds = OfTracks(catalog); stamp = now; }
                var current = kinds;
                if (current.Values.All(k => k == SoundKind.Music)) return null;
                return id => !current.TryGetValue(id, out var k) || k == SoundKind.Music;
            }
        };
    }

    static void Exec(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object)[] ps)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v);
        cmd.ExecuteNonQuery();
    }
}
