using Viml.Catalog;
using Viml.Tests.Hostile;

namespace Viml.Tests.Catalog;

/// <summary>The catalog's side tables (words, sound kinds, rhythm) name the catalog folder when SQLite cannot write
/// them, as the track tables do: here the catalog's file system becomes read-only after ingest.</summary>
public class CatalogTablesWriteErrorTests
{
    [Fact]
    public void Side_tables_on_a_read_only_catalog_name_the_folder()
    {
        if (HostileWorld.MountRefusal is not null) return;   // needs root: the hostile corpus skips these cases alike
        string root = Directory.CreateTempSubdirectory("viml-cat-ro-").FullName;
        string mount = Path.Combine(root, "fs");
        HostileWorld.MountTmpfs(mount, "16m");
        try
        {
            var lib = ToneLibrary.Write(Path.Combine(root, "music"));
            var cat = MusicCatalog.OpenOrCreate(Path.Combine(mount, "cat"), CatalogIngest.InfoFor(TestParts.Create()));
            new CatalogIngest(cat, TestParts.Create()).Add(CatalogIngest.FindAudio([lib]));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();   // pooled connections keep the file open for writing
            var (ok, err) = HostileWorld.Sh("mount", "-o", "remount,ro", mount);
            Assert.True(ok, err);

            var words = Assert.Throws<OutputException>(() => WordDescriptions.Ensure(cat, new HashTextEncoder()));
            Assert.Contains(cat.Root, words.Message);
            Assert.Contains("cannot write the catalog database", words.Message);
            Assert.True(words.CannotCreate);   // read-only: SQLITE_READONLY or SQLITE_CANTOPEN

            var kinds = Assert.Throws<OutputException>(() => SoundKinds.Ensure(cat, TestParts.Decode));
            Assert.Contains(cat.Root, kinds.Message);
        }
        finally
        {
            HostileWorld.Unmount(mount);
            Directory.Delete(root, true);
        }
    }
}
