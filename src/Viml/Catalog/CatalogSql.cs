using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Viml.Catalog;

/// <summary>The catalog database's small SQL helpers: commands with parameters, the meta table, the change stamp,
/// and float vectors as blobs.</summary>
static class CatalogSql
{
    internal static Dictionary<string, string> ReadMeta(SqliteConnection c, SqliteTransaction? tx = null)
    {
        using var cmd = Command(c, tx, "SELECT key, value FROM meta");
        using var r = cmd.ExecuteReader();
        var d = new Dictionary<string, string>();
        while (r.Read()) d[r.GetString(0)] = r.GetString(1);
        return d;
    }

    internal static void SetMeta(SqliteConnection c, SqliteTransaction tx, string key, string value) =>
        Exec(c, tx, "INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", ("$k", key), ("$v", value));

    internal static void BumpStamp(SqliteConnection c, SqliteTransaction tx) =>
        Exec(c, tx, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'stamp'");

    internal static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] ps)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (n, v) in ps) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd;
    }

    internal static int Exec(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] ps)
    {
        using var cmd = Command(c, tx, sql, ps);
        return cmd.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] ps)
    {
        using var cmd = Command(c, tx, sql, ps);
        return cmd.ExecuteScalar();
    }

    internal static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    internal static byte[] Blob(float[] v) => MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
    internal static float[] Floats(byte[] b) => MemoryMarshal.Cast<byte, float>(b).ToArray();
}
