using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using static Viml.Catalog.CatalogSql;

namespace Viml.Catalog;

/// <summary>Segment vectors as the search index reads them.</summary>
public sealed partial class MusicCatalog
{
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
}
