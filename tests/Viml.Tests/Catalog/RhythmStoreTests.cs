using Microsoft.Data.Sqlite;
using Viml.Catalog;
using Viml.Tests.Rhythm;

namespace Viml.Tests.Catalog;

public class RhythmStoreTests
{
    static string ClickFile(string dir, double bpm, double seconds)
    {
        var pcm = Clicks.Render(Clicks.Times(bpm, seconds), seconds);
        string raw = Path.Combine(dir, $"clicks{bpm}.f32"), wav = Path.Combine(dir, $"clicks{bpm}.wav");
        File.WriteAllBytes(raw, System.Runtime.InteropServices.MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray());
        TestParts.Ffmpeg("-f", "f32le", "-ar", Clicks.Rate.ToString(), "-ac", "1", "-i", raw, wav);
        File.Delete(raw);
        return wav;
    }

    [Fact]
    public void Catalog_add_stores_tempo_beats_and_segment_rhythm_and_fills_them_in_for_older_catalogs()
    {
        var dir = Directory.CreateTempSubdirectory("viml-rhythm-").FullName;
        try
        {
            string wav = ClickFile(dir, 120, 22);
            int decodes = 0;
            var parts = TestParts.Create() with
            {
                Audio = new CountedAudio(() => decodes++),
            };
            var cat = MusicCatalog.OpenOrCreate(Path.Combine(dir, "cat"), CatalogIngest.InfoFor(parts));
            new CatalogIngest(cat, parts).Add([wav]);
            long id = cat.Tracks().Single().Id;
            var r = RhythmStore.Of(cat, [id])[id];
            Assert.InRange(r.Bpm, 118, 122);
            Assert.InRange(r.Beats.Length, 40, 44);
            Assert.InRange(r.Downbeats.Length, 10, 11);
            var segments = RhythmStore.SegmentsOf(cat, id);
            Assert.Equal(2, segments.Count);
            Assert.All(segments, s => Assert.InRange(s.Bpm, 118, 122));

            // a catalog made before rhythm was stored: no rhythm tables at all
            using (var c = new SqliteConnection($"Data Source={Path.Combine(cat.Root, MusicCatalog.DatabaseFile)}"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "DROP TABLE segment_rhythm; DROP TABLE track_rhythm;";
                cmd.ExecuteNonQuery();
            }
            SqliteConnection.ClearAllPools();
            cat = MusicCatalog.Open(cat.Root);
            Assert.Empty(RhythmStore.Of(cat, [id]));
            decodes = 0;
            var report = new CatalogIngest(cat, parts).Add([wav]);
            Assert.Equal(1, report.Count(IngestOutcome.Unchanged));
            Assert.Equal(1, decodes);
            Assert.InRange(RhythmStore.Of(cat, [id])[id].Bpm, 118, 122);

            // once filled in, an unchanged file is not decoded again
            decodes = 0;
            new CatalogIngest(cat, parts).Add([wav]);
            Assert.Equal(0, decodes);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Non_finite_rhythm_is_refused_and_nothing_is_written()
    {
        var dir = Directory.CreateTempSubdirectory("viml-rhythm-").FullName;
        try
        {
            string wav = ClickFile(dir, 100, 6);
            var parts = TestParts.Create();
            var cat = MusicCatalog.OpenOrCreate(Path.Combine(dir, "cat"), CatalogIngest.InfoFor(parts));
            new CatalogIngest(cat, parts).Add([wav]);
            long id = cat.Tracks().Single().Id;
            var bad = new Viml.Rhythm.RhythmAnalysis(double.NaN, 0.5, [1.0], [1.0], [-20f], 0.5);
            Assert.Throws<ArgumentException>(() => RhythmStore.Put(cat, id, bad));
            Assert.InRange(RhythmStore.Of(cat, [id])[id].Bpm, 97, 103);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }
}
