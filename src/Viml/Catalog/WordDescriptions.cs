using Microsoft.Data.Sqlite;
using Viml.Encoders;
using Viml.Text;

namespace Viml.Catalog;

/// <summary>
/// A sentence per catalog segment and track written from its tag confidences ("sad, relaxing classical music with
/// piano and strings; instrumental"), and its sentence-encoder vector, kept in the catalog's own tables
/// (<c>segment_words</c>, <c>track_words</c>; added in place to catalogs made before them). Descriptions are made
/// for whatever lacks one for the given encoder, so an older catalog gets them on its first words query (or with
/// <c>viml catalog reembed</c>); a replaced track loses its rows with its segments and gets new ones.
/// </summary>
public static class WordDescriptions
{
    /// <summary>Tags at or above this confidence are written into a description: below the display threshold
    /// (<see cref="MusicCatalog.TagThreshold"/>, the paper's 0.3) because real recordings keep only one or two tags
    /// there, and a sentence of one word tells the encoder little. The attribute matches use the raw confidences.</summary>
    public const double Threshold = 0.2;
    const int Batch = 64;

    const string Schema = """
        CREATE TABLE IF NOT EXISTS segment_words(
            segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
            track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
            encoder TEXT NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS segment_words_track ON segment_words(track_id);
        CREATE TABLE IF NOT EXISTS track_words(
            track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
            encoder TEXT NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL);
        """;

    /// <summary>The sentence for a set of kept tags; "music" when none is kept.</summary>
    public static string Describe(TagSet tags)
    {
        var moods = tags.Of(TagCategory.Mood).Select(t => t.Attribute.Name).ToList();
        // The taggers may call one stretch both slow and fast: the weaker of the two is not written.
        if (moods.Contains("slow") && moods.Contains("fast")) moods.Remove(moods.IndexOf("slow") < moods.IndexOf("fast") ? "fast" : "slow");
        var genres = tags.Of(TagCategory.Genre).Select(t => t.Attribute.Name).ToList();
        var instruments = tags.Of(TagCategory.Instrument).Select(t => t.Attribute.Name).ToList();
        var vocals = tags.Of(TagCategory.Vocals).Select(t => t.Attribute.Name).ToList();
        string head = string.Join(" ", new[] { string.Join(", ", moods), English.List(genres), "music" }.Where(s => s.Length > 0));
        if (instruments.Count > 0) head += " with " + English.List(instruments);
        if (vocals.Count > 0) head += "; " + English.List(vocals);
        return head;
    }

    /// <summary>Creates the tables when missing and describes every segment and track that lacks a description for
    /// <paramref name="encoder"/>; returns how many rows it wrote. Resumable: one transaction per batch.</summary>
    public static int Ensure(MusicCatalog catalog, ITextEncoder encoder, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default) =>
        CatalogWriteError.Guard(catalog.Root, () => EnsureCore(catalog, encoder, progress, ct));

    static int EnsureCore(MusicCatalog catalog, ITextEncoder encoder, IProgress<(int Done, int Total)>? progress = null, CancellationToken ct = default)
    {
        TagReader? reader = null;   // null: no tag the vocabulary knows (another tagger): every description is "music"
        try { reader = new TagReader(catalog.Info.TagNames, new TagSelection(Threshold)); }
        catch (InvalidInputException) { }
        using var c = catalog.Connect();
        using (var cmd = c.CreateCommand()) { cmd.CommandText = Schema; cmd.ExecuteNonQuery(); }
        var segs = Missing(c, encoder.Name, """
            SELECT s.id, s.track_id, s.tags FROM segments s LEFT JOIN segment_words w ON w.segment_id = s.id AND w.encoder = $e
            WHERE w.segment_id IS NULL ORDER BY s.id
            """);
        var tracks = Missing(c, encoder.Name, """
            SELECT t.id, t.id, t.tags FROM tracks t LEFT JOIN track_words w ON w.track_id = t.id AND w.encoder = $e
            WHERE w.track_id IS NULL ORDER BY t.id
            """);
        int total = segs.Count + tracks.Count, done = 0;
        foreach (var (rows, track) in new[] { (segs, false), (tracks, true) })
            for (int i = 0; i < rows.Count; i += Batch)
            {
                ct.ThrowIfCancellationRequested();
                var batch = rows.Skip(i).Take(Batch).ToList();
                var texts = batch.Select(r => reader is null ? "music" : Describe(reader.ReadPooled(r.Tags))).ToList();
                var vectors = encoder.Embed(texts);
                using var tx = c.BeginTransaction();
                using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = track
                    ? "INSERT OR REPLACE INTO track_words(track_id, encoder, text, vector) VALUES($t, $e, $x, $v)"
                    : "INSERT OR REPLACE INTO segment_words(segment_id, track_id, encoder, text, vector) VALUES($s, $t, $e, $x, $v)";
                var ps = cmd.Parameters.AddWithValue("$s", 0L);
                var pt = cmd.Parameters.AddWithValue("$t", 0L);
                cmd.Parameters.AddWithValue("$e", encoder.Name);
                var px = cmd.Parameters.AddWithValue("$x", "");
                var pv = cmd.Parameters.AddWithValue("$v", Array.Empty<byte>());
                for (int k = 0; k < batch.Count; k++)
                {
                    if (!vectors[k].All(float.IsFinite)) throw new VimlException($"{encoder.Name} gave a non-finite vector for \"{texts[k]}\"");
                    ps.Value = batch[k].Id; pt.Value = batch[k].TrackId; px.Value = texts[k]; pv.Value = MusicCatalog.Blob(vectors[k]);
                    cmd.ExecuteNonQuery();
                }
                tx.Commit();
                done += batch.Count;
                progress?.Report((done, total));
            }
        return total;
    }

    static List<(long Id, long TrackId, float[] Tags)> Missing(SqliteConnection c, string encoder, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$e", encoder);
        using var r = cmd.ExecuteReader();
        var list = new List<(long, long, float[])>();
        while (r.Read()) list.Add((r.GetInt64(0), r.GetInt64(1), MusicCatalog.Floats((byte[])r[2])));
        return list;
    }

    /// <summary>Every segment's description vector for <paramref name="encoder"/> with its track and raw tag confidences,
    /// ordered by segment id. Call <see cref="Ensure"/> first.</summary>
    public static IReadOnlyList<(long Segment, long Track, string Text, float[] Vector, float[] Tags)> Segments(MusicCatalog catalog, string encoder) =>
        CatalogWriteError.Guard(catalog.Root, () => SegmentsCore(catalog, encoder));

    static IReadOnlyList<(long Segment, long Track, string Text, float[] Vector, float[] Tags)> SegmentsCore(MusicCatalog catalog, string encoder)
    {
        using var c = catalog.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT s.id, s.track_id, w.text, w.vector, s.tags FROM segments s JOIN segment_words w ON w.segment_id = s.id
            WHERE w.encoder = $e ORDER BY s.id
            """;
        cmd.Parameters.AddWithValue("$e", encoder);
        using var r = cmd.ExecuteReader();
        var list = new List<(long, long, string, float[], float[])>();
        while (r.Read()) list.Add((r.GetInt64(0), r.GetInt64(1), r.GetString(2), MusicCatalog.Floats((byte[])r[3]), MusicCatalog.Floats((byte[])r[4])));
        return list;
    }

    /// <summary>The stored description of a track, or null.</summary>
    public static string? OfTrack(MusicCatalog catalog, long trackId) =>
        CatalogWriteError.Guard(catalog.Root, () => OfTrackCore(catalog, trackId));

    static string? OfTrackCore(MusicCatalog catalog, long trackId)
    {
        using var c = catalog.Connect();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT text FROM track_words WHERE track_id = $t LIMIT 1";
        cmd.Parameters.AddWithValue("$t", trackId);
        try { return cmd.ExecuteScalar() as string; }
        catch (SqliteException) { return null; }   // a catalog without the table yet
    }
}
