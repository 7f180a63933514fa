using Microsoft.Data.Sqlite;
using Viml.Catalog;

namespace Viml.Tests.Catalog;

/// <summary><c>catalog sync</c> when the music folder is not where it was: nothing is lost.</summary>
public class CatalogSyncTests
{
    static (MusicCatalog Catalog, string Music, string Dir) Library(string[] names)
    {
        string dir = Directory.CreateTempSubdirectory("viml-sync-").FullName;
        string music = Path.Combine(dir, "music");
        Directory.CreateDirectory(music);
        var files = names.Select((n, i) => TestParts.Tone(Path.Combine(music, n), 300 + 100 * i, 2)).ToArray();
        var parts = TestParts.Create();
        var cat = MusicCatalog.OpenOrCreate(Path.Combine(dir, "cat"), CatalogIngest.InfoFor(parts));
        cat.AddRoot(music);
        new CatalogIngest(cat, parts).Add(files);
        return (cat, music, dir);
    }

    [Fact]
    public void A_moved_folder_keeps_its_tracks_and_is_reported_until_it_is_back_or_forgotten()
    {
        var (cat, music, dir) = Library(["a.wav", "b.wav", "c.wav"]);
        try
        {
            Directory.Move(music, music + "-moved");
            var r = CatalogIngest.Prune(cat);
            Assert.Equal(0, r.Count(IngestOutcome.Removed));
            var failed = Assert.Single(r.Events, e => e.Outcome == IngestOutcome.Failed);
            Assert.Equal(music, failed.Path);
            Assert.Contains("folder missing", failed.Problem);
            Assert.Contains("3 track(s) are kept", failed.Problem);
            Assert.Equal(3, cat.CountTracks());

            Directory.Move(music + "-moved", music);                       // back: nothing to do
            Assert.Empty(CatalogIngest.Prune(cat).Events);

            Directory.Move(music, music + "-moved");
            var forgot = CatalogIngest.Prune(cat, forgetMissing: true);   // asked for: dropped
            Assert.Equal(3, forgot.Count(IngestOutcome.Removed));
            Assert.Equal(0, cat.CountTracks());
        }
        finally { SqliteConnection.ClearAllPools(); Directory.Delete(dir, true); }
    }

    [Fact]
    public void An_emptied_folder_keeps_its_tracks_while_one_deleted_file_is_dropped()
    {
        var (cat, music, dir) = Library(["a.wav", "b.wav"]);
        try
        {
            File.Delete(Path.Combine(music, "a.wav"));                      // a real deletion: b.wav is still there
            Assert.Equal(1, CatalogIngest.Prune(cat).Count(IngestOutcome.Removed));
            File.Delete(Path.Combine(music, "b.wav"));                      // now none of its files: an empty mount point?
            var r = CatalogIngest.Prune(cat);
            Assert.Equal(0, r.Count(IngestOutcome.Removed));
            Assert.Contains("none of its tracks' files", Assert.Single(r.Events).Problem);
            Assert.Equal(1, cat.CountTracks());
        }
        finally { SqliteConnection.ClearAllPools(); Directory.Delete(dir, true); }
    }
}
