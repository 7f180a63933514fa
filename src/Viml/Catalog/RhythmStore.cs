using Microsoft.Data.Sqlite;
using Viml.Rhythm;

namespace Viml.Catalog;

/// <summary>A segment's tempo (from its beats) and mean loudness (dBFS).</summary>
public sealed record SegmentRhythm(int Ordinal, double Start, double End, double Bpm, double Energy);

/// <summary>
/// The catalog's rhythm tables: <c>track_rhythm</c> (tempo, confidence, beat and downbeat times, energy curve) and
/// <c>segment_rhythm</c> (tempo and loudness of each 10-s segment). Created in place on first use, so catalogs made
/// before them gain them; tracks without rows (made before, or by an older version) are analysed again by
/// <c>catalog add</c>/<c>sync</c> (<see cref="Backfill"/>). Rows go with their track (ON DELETE CASCADE).
/// </summary>
public static class RhythmStore
{
    const string Schema = """
        CREATE TABLE IF NOT EXISTS track_rhythm(
            track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
            bpm REAL NOT NULL, confidence REAL NOT NULL, beats BLOB NOT NULL, downbeats BLOB NOT NULL,
            energy BLOB NOT NULL, energy_hop REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS segment_rhythm(
            track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE, ord INTEGER NOT NULL,
            start REAL NOT NULL, "end" REAL NOT NULL, bpm REAL NOT NULL, energy REAL NOT NULL,
            PRIMARY KEY(track_id, ord));
        """;

    static void Ensure(SqliteConnection c, SqliteTransaction? tx)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = Schema;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Writes a track's rhythm and its segments' inside the caller's transaction (replacing what was there).</summary>
    internal static void Write(SqliteConnection c, SqliteTransaction tx, long trackId, RhythmAnalysis r,
        IReadOnlyList<(double Start, double End)> segments)
    {
        Validate(r, trackId);
        Ensure(c, tx);
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT OR REPLACE INTO track_rhythm(track_id, bpm, confidence, beats, downbeats, energy, energy_hop)
                VALUES($t, $b, $c, $beats, $down, $e, $h)
                """;
            cmd.Parameters.AddWithValue("$t", trackId);
            cmd.Parameters.AddWithValue("$b", r.Bpm);
            cmd.Parameters.AddWithValue("$c", r.Confidence);
            cmd.Parameters.AddWithValue("$beats", Blob(r.Beats));
            cmd.Parameters.AddWithValue("$down", Blob(r.Downbeats));
            cmd.Parameters.AddWithValue("$e", MusicCatalog.Blob(r.Energy));
            cmd.Parameters.AddWithValue("$h", r.EnergyHop);
            cmd.ExecuteNonQuery();
        }
        using (var del = c.CreateCommand())
        {
            del.Transaction = tx;
            del.CommandText = "DELETE FROM segment_rhythm WHERE track_id = $t";
            del.Parameters.AddWithValue("$t", trackId);
            del.ExecuteNonQuery();
        }
        using var seg = c.CreateCommand();
        seg.Transaction = tx;
        seg.CommandText = """INSERT INTO segment_rhythm(track_id, ord, start, "end", bpm, energy) VALUES($t, $o, $s, $e, $b, $g)""";
        var ps = new[] { "$t", "$o", "$s", "$e", "$b", "$g" }.Select(n => seg.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        for (int i = 0; i < segments.Count; i++)
        {
            var (s, e) = segments[i];
            ps[0].Value = trackId; ps[1].Value = i; ps[2].Value = s; ps[3].Value = e;
            ps[4].Value = r.BpmBetween(s, e); ps[5].Value = r.EnergyBetween(s, e);
            seg.ExecuteNonQuery();
        }
    }

    /// <summary>Writes one track's rhythm in its own transaction (see <see cref="Backfill"/>).</summary>
    public static void Put(MusicCatalog catalog, long trackId, RhythmAnalysis r) =>
        CatalogWriteError.Guard(catalog.Root, () => PutCore(catalog, trackId, r));

    static void PutCore(MusicCatalog catalog, long trackId, RhythmAnalysis r)
    {
        using var c = catalog.Connect();
        using var tx = c.BeginTransaction();
        var spans = new List<(double, double)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """SELECT start, "end" FROM segments WHERE track_id = $t ORDER BY ord""";
            cmd.Parameters.AddWithValue("$t", trackId);
            using var rd = cmd.ExecuteReader();
            while (rd.Read()) spans.Add((rd.GetDouble(0), rd.GetDouble(1)));
        }
        if (spans.Count == 0) throw new InvalidInputException($"{catalog.Root}: no track {trackId}");
        Write(c, tx, trackId, r, spans);
        tx.Commit();
    }

    /// <summary>Rhythm of several tracks (tracks without any are absent).</summary>
    public static Dictionary<long, RhythmAnalysis> Of(MusicCatalog catalog, IEnumerable<long> trackIds) =>
        CatalogWriteError.Guard(catalog.Root, () => OfCore(catalog, trackIds));

    static Dictionary<long, RhythmAnalysis> OfCore(MusicCatalog catalog, IEnumerable<long> trackIds)
    {
        var result = new Dictionary<long, RhythmAnalysis>();
        using var c = catalog.Connect();
        Ensure(c, null);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT bpm, confidence, beats, downbeats, energy, energy_hop FROM track_rhythm WHERE track_id = $t";
        var p = cmd.Parameters.AddWithValue("$t", 0L);
        foreach (var id in trackIds.Distinct())
        {
            p.Value = id;
            using var r = cmd.ExecuteReader();
            if (r.Read())
                result[id] = new RhythmAnalysis(r.GetDouble(0), r.GetDouble(1), Doubles((byte[])r[2]), Doubles((byte[])r[3]),
                    MusicCatalog.Floats((byte[])r[4]), r.GetDouble(5));
        }
        return result;
    }

    /// <summary>The tempo and loudness of a track's segments, in order.</summary>
    public static IReadOnlyList<SegmentRhythm> SegmentsOf(MusicCatalog catalog, long trackId) =>
        CatalogWriteError.Guard(catalog.Root, () => SegmentsOfCore(catalog, trackId));

    static IReadOnlyList<SegmentRhythm> SegmentsOfCore(MusicCatalog catalog, long trackId)
    {
        using var c = catalog.Connect();
        Ensure(c, null);
        using var cmd = c.CreateCommand();
        cmd.CommandText = """SELECT ord, start, "end", bpm, energy FROM segment_rhythm WHERE track_id = $t ORDER BY ord""";
        cmd.Parameters.AddWithValue("$t", trackId);
        using var r = cmd.ExecuteReader();
        var list = new List<SegmentRhythm>();
        while (r.Read()) list.Add(new SegmentRhythm(r.GetInt32(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4)));
        return list;
    }

    /// <summary>Analyses and stores the rhythm of the track at <paramref name="path"/> when the catalog holds the
    /// track but not its rhythm (a catalog made before rhythm was stored); false when there was nothing to do.</summary>
    public static bool Backfill(MusicCatalog catalog, string path, Func<string, int, CancellationToken, float[]> decodeMono,
        int sampleRate, CancellationToken ct) =>
        CatalogWriteError.Guard(catalog.Root, () => BackfillCore(catalog, path, decodeMono, sampleRate, ct));

    static bool BackfillCore(MusicCatalog catalog, string path, Func<string, int, CancellationToken, float[]> decodeMono,
        int sampleRate, CancellationToken ct)
    {
        long? id;
        using (var c = catalog.Connect())
        {
            Ensure(c, null);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT t.id FROM tracks t LEFT JOIN track_rhythm r ON r.track_id = t.id WHERE t.path = $p AND r.track_id IS NULL";
            cmd.Parameters.AddWithValue("$p", path);
            id = cmd.ExecuteScalar() as long?;
        }
        if (id is null) return false;
        var pcm = decodeMono(path, sampleRate, ct);
        Put(catalog, id.Value, RhythmAnalyzer.Analyse(pcm, sampleRate));
        return true;
    }

    static void Validate(RhythmAnalysis r, long trackId)
    {
        bool finite = double.IsFinite(r.Bpm) && r.Bpm > 0 && double.IsFinite(r.Confidence) && double.IsFinite(r.EnergyHop) && r.EnergyHop > 0
            && r.Beats.All(double.IsFinite) && r.Downbeats.All(double.IsFinite) && r.Energy.All(float.IsFinite);
        if (!finite) throw new ArgumentException($"track {trackId}: rhythm holds a non-finite or non-positive value; not stored");
    }

    static byte[] Blob(double[] v) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
    static double[] Doubles(byte[] b) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(b).ToArray();
}
