using Microsoft.Data.Sqlite;

namespace Viml.Catalog;

/// <summary>
/// The tables of <c>catalog.db</c>: <c>meta</c> (key / value: format, encoders and the feature contract, model id,
/// change stamp, folders), <c>tracks</c>, <c>segments</c> (base features and vectors) and <c>track_tags</c>.
/// Tables added later (rhythm, word descriptions, sound kinds) are created by their own stores.
/// </summary>
static class CatalogSchema
{
    public static void Create(SqliteConnection c, SqliteTransaction tx) =>
        CatalogSql.Exec(c, tx, """
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
}
