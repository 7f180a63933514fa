using System.Text.Json;
using Microsoft.Data.Sqlite;
using static Viml.Catalog.CatalogSql;

namespace Viml.Catalog;

/// <summary>
/// A music catalog: one folder holding <c>catalog.db</c> (SQLite: tracks, segments with base features,
/// tags and embeddings) and the segment vector index files derived from it. Copy the folder and you copy
/// the catalog. The database is the source of truth: every track is written in one transaction, and
/// the index is rebuilt (exact) or patched (HNSW) from it whenever its stamp says it is behind.
/// </summary>
public sealed partial class MusicCatalog
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
            return new MusicCatalog(root, cs, InfoFrom(meta, root));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1) { throw new InvalidInputException($"{root}/{DatabaseFile}: not a {Format} database ({e.Message})", e); }
        catch (SqliteException e) { throw new InvalidInputException($"{root}/{DatabaseFile}: cannot read the catalog ({e.Message})", e); }
    }

    /// <summary>Opens a catalog, creating the folder and database when absent. An existing catalog must have been made
    /// with the same base music encoder; a different model id makes it stale (see <see cref="CountStaleTracks"/>).</summary>
    public static MusicCatalog OpenOrCreate(string root, CatalogInfo info)
    {
        root = System.IO.Path.GetFullPath(root);
        if (Exists(root) && !IsBlank(root))
        {
            var cat = Open(root);
            var a = cat.Info;
            if (a.MusicEncoder != info.MusicEncoder || a.MusicDimension != info.MusicDimension)
                throw new InvalidInputException($"{root}: this catalog holds features of {a.MusicEncoder} ({a.MusicDimension}-d), not {info.MusicEncoder} ({info.MusicDimension}-d); use a new folder");
            a.Spec.RefuseMismatch(info.Spec, $"the catalog {root}", "these tracks", "use a new folder", Viml.Features.SpecFields.Music);
            Viml.IO.AtomicFile.RemoveOrphans(root, recursive: true);   // index temp files of a killed writer
            return cat;
        }
        try { Directory.CreateDirectory(root); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw OutputException.For(root, "cannot create the catalog folder", e); }
        var cs = ConnectionString(root, create: true);
        CatalogWriteError.Guard(root, () =>
        {
            using (var c = new SqliteConnection(cs))
            {
                c.Open();
                using var tx = c.BeginTransaction();
                CatalogSchema.Create(c, tx);
                SetMeta(c, tx, "format", Format);
                SetMeta(c, tx, "music_encoder", info.MusicEncoder);
                SetMeta(c, tx, "music_dimension", info.MusicDimension.ToString());
                SetMeta(c, tx, "tag_names", JsonSerializer.Serialize(info.TagNames));
                SetMeta(c, tx, "model_id", info.ModelId);
                SetMeta(c, tx, "dimension", info.Dimension.ToString());
                SetMeta(c, tx, "stamp", "0");
                SetMeta(c, tx, "roots", "[]");
                SetSpec(c, tx, info.Spec with { MusicEncoder = info.MusicEncoder });
                tx.Commit();
                Exec(c, null, "PRAGMA journal_mode=WAL;");
            }
        });
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
    public long ReadStamp() { using var c = Connect(); return long.Parse(ReadMeta(c)["stamp"]); }

    /// <summary>Folders given to <c>add</c>, rescanned by <c>sync</c>.</summary>
    public IReadOnlyList<string> ReadRoots() { using var c = Connect(); return JsonSerializer.Deserialize<string[]>(ReadMeta(c)["roots"]) ?? []; }

    public void AddRoot(string folder)
    {
        CatalogWriteError.Guard(Root, () =>
        {
            using var c = Connect();
            using var tx = c.BeginTransaction();
            var roots = (JsonSerializer.Deserialize<List<string>>(ReadMeta(c, tx)["roots"]) ?? []);
            if (!roots.Contains(folder)) { roots.Add(folder); SetMeta(c, tx, "roots", JsonSerializer.Serialize(roots)); }
            tx.Commit();
        });
    }

    /// <summary>Points the catalog at another model: every track embedded by another becomes stale until re-embedded.</summary>
    /// <param name="spec">The new model's feature contract (its music fields must be the catalog's); null keeps the recorded one.</param>
    public void SetModel(string modelId, int dimension, Viml.Features.FeatureSpec? spec = null)
    {
        spec ??= Info.Spec;
        Info.Spec.RefuseMismatch(spec, $"the catalog {Root}", $"model {modelId}", "use a new catalog folder for this model",
            Viml.Features.SpecFields.Music);
        CatalogWriteError.Guard(Root, () =>
        {
            using var c = Connect();
            using var tx = c.BeginTransaction();
            SetMeta(c, tx, "model_id", modelId);
            SetMeta(c, tx, "dimension", dimension.ToString());
            SetSpec(c, tx, spec);
            BumpStamp(c, tx);
            tx.Commit();
            Info = Info with { ModelId = modelId, Dimension = dimension, Spec = spec };
        });
    }

    /// <summary>Records a feature contract in the meta table (the keys of <see cref="Viml.Features.FeatureSpec.ToMetadata"/>).</summary>
    static void SetSpec(SqliteConnection c, SqliteTransaction tx, Viml.Features.FeatureSpec spec)
    {
        foreach (var (key, value) in spec.ToMetadata()) SetMeta(c, tx, key, value);
    }

    /// <summary>Tracks whose vectors were made by another model than the catalog's current one.</summary>
    public int CountStaleTracks()
    {
        using var c = Connect();
        return (int)(long)Scalar(c, null, "SELECT COUNT(*) FROM tracks WHERE model_id <> $m", ("$m", Info.ModelId))!;
    }

    /// <summary>Throws <see cref="StaleCatalogException"/> unless every vector comes from <paramref name="modelId"/>.</summary>
    public void EnsureCurrent(string modelId)
    {
        if (Info.ModelId != modelId)
            throw new StaleCatalogException($"{Root}: the catalog was embedded with model {Info.ModelId}, not {modelId}; run `viml catalog reembed --catalog {Root} --model <checkpoint>`");
        int stale = CountStaleTracks();
        if (stale > 0)
            throw new StaleCatalogException($"{Root}: {stale} track(s) still carry vectors of an older model; run `viml catalog reembed --catalog {Root} --model <checkpoint>` to finish");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static CatalogInfo InfoFrom(Dictionary<string, string> m, string root) => new(
        m["music_encoder"], int.Parse(m["music_dimension"]),
        JsonSerializer.Deserialize<string[]>(m["tag_names"]) ?? [], m["model_id"], int.Parse(m["dimension"]))
        { Spec = Viml.Features.FeatureSpec.FromMetadata(m, $"{root}/{DatabaseFile}") };

    internal static byte[] Blob(float[] v) => CatalogSql.Blob(v);
    internal static float[] Floats(byte[] b) => CatalogSql.Floats(b);
}
