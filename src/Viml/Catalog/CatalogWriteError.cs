using Microsoft.Data.Sqlite;

namespace Viml.Catalog;

/// <summary>
/// SQLite's failures to write the catalog database as an <see cref="OutputException"/> that names the catalog
/// folder: SQLITE_FULL (13) and SQLITE_IOERR (10) are write errors (a full disk, an I/O error);
/// SQLITE_READONLY (8) and SQLITE_CANTOPEN (14) mean the database cannot be created or opened for writing.
/// </summary>
static class CatalogWriteError
{
    public static bool Applies(SqliteException e) => e.SqliteErrorCode is 13 or 10 or 8 or 14;

    public static OutputException For(string root, SqliteException e) =>
        new($"{root}: cannot write the catalog database ({e.Message})", e, cannotCreate: e.SqliteErrorCode is 8 or 14);

    /// <summary>Runs <paramref name="body"/> against the catalog at <paramref name="root"/>, turning SQLite's write
    /// failures into errors that name the folder.</summary>
    public static T Guard<T>(string root, Func<T> body)
    {
        try { return body(); }
        catch (SqliteException e) when (Applies(e)) { throw For(root, e); }
    }

    public static void Guard(string root, Action body) => Guard(root, () => { body(); return 0; });
}
