using Microsoft.Data.Sqlite;
using Viml.Catalog;

namespace Viml.Tests.Catalog;

/// <summary>Audio fixtures in six containers, generated once by ffmpeg.</summary>
public sealed class AudioFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("viml-audio-").FullName;
    public AudioFixture()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "sub"));
        TestParts.Tone(Path.Combine(Dir, "a440.mp3"), 440, 12, title: "Tuning Fork");
        TestParts.Tone(Path.Combine(Dir, "noise.flac"), 0, 25);
        TestParts.Tone(Path.Combine(Dir, "low.wav"), 110, 8);
        TestParts.Tone(Path.Combine(Dir, "mid.ogg"), 660, 16);
        TestParts.Tone(Path.Combine(Dir, "high.m4a"), 2000, 11);
        TestParts.Tone(Path.Combine(Dir, "sub", "air.opus"), 0, 6);
        var parts = TestParts.Create(1);
        var cat = MusicCatalog.OpenOrCreate(Catalog, CatalogIngest.InfoFor(parts));
        new CatalogIngest(cat, parts).Add(CatalogIngest.FindAudio([Dir]));
        SqliteConnection.ClearAllPools();
    }

    /// <summary>The library ingested once with model seed 1 (tests that change it work on a copy).</summary>
    public string Catalog => Path.Combine(Dir, ".catalog");

    public string CopyCatalog()
    {
        SqliteConnection.ClearAllPools();
        var to = Path.Combine(Path.GetTempPath(), "viml-cat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(Catalog)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        return to;
    }
    public void Dispose() => Directory.Delete(Dir, true);
}

public class CatalogIngestTests : IClassFixture<AudioFixture>
{
    readonly AudioFixture _audio;
    public CatalogIngestTests(AudioFixture audio)
    {
        _audio = audio;
    }

    string CopyLibrary()
    {
        var lib = Directory.CreateTempSubdirectory("viml-lib-").FullName;
        foreach (var f in Directory.EnumerateFiles(_audio.Dir, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(lib, Path.GetRelativePath(_audio.Dir, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return lib;
    }

    static (MusicCatalog, CatalogIngest) NewCatalog(string dir, int seed = 1)
    {
        var parts = TestParts.Create(seed);
        var cat = MusicCatalog.OpenOrCreate(dir, CatalogIngest.InfoFor(parts));
        return (cat, new CatalogIngest(cat, parts));
    }

    [Fact]
    public void Add_skip_replace_and_sync_with_six_containers()
    {
        var lib = CopyLibrary();
        var dir = Path.Combine(Path.GetTempPath(), "viml-cat-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (cat, ingest) = NewCatalog(dir);
            var files = CatalogIngest.FindAudio([lib]);
            Assert.Equal(6, files.Count);
            var r1 = ingest.Add(files);
            Assert.Equal(6, r1.Count(IngestOutcome.Added));
            Assert.Equal(6, cat.CountTracks());
            // segment rule: 12 s -> 1 (tail 2 s dropped), 25 s -> 3 (tail 5 s kept), 8 -> 1, 16 -> 2, 11 -> 1, 6 -> 1
            Assert.Equal(9, cat.CountSegments());
            var tracks = cat.Tracks().ToDictionary(t => Path.GetFileName(t.Path));
            Assert.Equal("Tuning Fork", tracks["a440.mp3"].Metadata.Title);
            Assert.Equal("Viml Tests", tracks["a440.mp3"].Metadata.Artist);
            Assert.Equal("noise", tracks["noise.flac"].Metadata.Title);        // no tags: the file name
            Assert.Equal(25, tracks["noise.flac"].Metadata.Duration, 1);
            Assert.Equal(3, tracks["noise.flac"].Segments);
            Assert.Contains(cat.TagsOf(tracks["noise.flac"].Id), t => t.Name == "test:genre:noisy");
            Assert.Contains(cat.TagsOf(tracks["low.wav"].Id), t => t.Name == "test:genre:tonal");

            // second run: nothing decoded again
            int decodes = TestParts.Decodes;
            var r2 = ingest.Add(files);
            Assert.Equal(6, r2.Count(IngestOutcome.Unchanged));
            Assert.Equal(decodes, TestParts.Decodes);

            // touched but same bytes: hashed, not decoded
            File.SetLastWriteTimeUtc(files[0], DateTime.UtcNow.AddMinutes(5));
            Assert.Equal(6, ingest.Add(files).Count(IngestOutcome.Unchanged));
            Assert.Equal(decodes, TestParts.Decodes);

            // changed content: replaced, new segment ids, old ones gone
            long stamp = cat.ReadStamp();
            var mid = Path.Combine(lib, "mid.ogg");
            var oldId = tracks["mid.ogg"].Id;
            TestParts.Tone(mid, 0, 31);
            var r3 = ingest.Add(files);
            Assert.Equal(1, r3.Count(IngestOutcome.Replaced));
            Assert.Equal(5, r3.Count(IngestOutcome.Unchanged));
            Assert.True(cat.ReadStamp() > stamp);
            var midNow = cat.Tracks().Single(t => t.Path == mid);
            Assert.NotEqual(oldId, midNow.Id);
            Assert.Equal(3, midNow.Segments);
            Assert.Equal(10, cat.CountSegments());

            // removed file: sync drops it
            File.Delete(Path.Combine(lib, "low.wav"));
            var r4 = CatalogIngest.Prune(cat);
            Assert.Equal(1, r4.Count(IngestOutcome.Removed));
            Assert.Equal(5, cat.CountTracks());
            Assert.Equal(9, cat.CountSegments());

            // a new file in a folder added before: sync with the model picks it up
            cat.AddRoot(lib);
            TestParts.Tone(Path.Combine(lib, "new.wav"), 330, 10);
            var r5 = ingest.Sync(rescan: true);
            Assert.Equal(1, r5.Count(IngestOutcome.Added));
            Assert.Equal(6, cat.CountTracks());
        }
        finally { Directory.Delete(lib, true); if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Unreadable_and_too_short_files_fail_alone()
    {
        var lib = Directory.CreateTempSubdirectory("viml-bad-").FullName;
        var dir = Path.Combine(Path.GetTempPath(), "viml-cat-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(Path.Combine(lib, "notes.mp3"), "not audio at all");
            TestParts.Tone(Path.Combine(lib, "blip.wav"), 440, 0.5);
            TestParts.Tone(Path.Combine(lib, "ok.wav"), 440, 3);
            var (cat, ingest) = NewCatalog(dir);
            var r = ingest.Add(CatalogIngest.FindAudio([lib]));
            Assert.Equal(1, r.Count(IngestOutcome.Added));
            Assert.Equal(2, r.Count(IngestOutcome.Failed));
            Assert.Contains(r.Events, e => e.Path.EndsWith("blip.wav") && e.Problem!.StartsWith("too short"));
            Assert.Equal(1, cat.CountTracks());
            Assert.Throws<InvalidInputException>(() => CatalogIngest.FindAudio([Path.Combine(lib, "missing")]));
        }
        finally { Directory.Delete(lib, true); if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_failed_transaction_leaves_the_catalog_as_it_was_and_the_index_follows_the_database()
    {
        var lib = CopyLibrary();
        var dir = Path.Combine(Path.GetTempPath(), "viml-cat-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (cat, ingest) = NewCatalog(dir);
            ingest.Add(CatalogIngest.FindAudio([lib]));
            int tracks = cat.CountTracks(), segments = cat.CountSegments();
            long stamp = cat.ReadStamp();
            using (var idx = CatalogIndex.Open(cat, IndexKind.Exact)) Assert.Equal(segments, idx.Count);

            // a write that dies after the track row and one segment are in: rolled back as a whole
            var meta = new TrackMetadata("half", null, null, null, 20);
            var good = new SegmentRecord(0, 10, new float[16], new float[3], new float[8]);
            var bad = new SegmentRecord(10, 20, new float[5], new float[3], new float[8]);
            Assert.Throws<InvalidInputException>(() => cat.Put(new TrackRecord("/x/half.wav", "h", 1, 1, meta, [good, bad], new float[8], new float[3], "proj1")));
            Assert.Equal(tracks, cat.CountTracks());
            Assert.Equal(segments, cat.CountSegments());
            Assert.Equal(stamp, cat.ReadStamp());
            Assert.Null(cat.Lookup("/x/half.wav"));

            // the database moves on; an index file from before is not trusted, for either kind
            File.Delete(Path.Combine(lib, "noise.flac"));
            CatalogIngest.Prune(cat);
            using (var exact = CatalogIndex.Open(cat, IndexKind.Exact)) Assert.Equal(segments - 3, exact.Count);
            using (var h1 = CatalogIndex.Open(cat, IndexKind.Hnsw)) Assert.Equal(segments - 3, h1.Count);
            TestParts.Tone(Path.Combine(lib, "extra.wav"), 500, 20);
            ingest.Add(CatalogIngest.FindAudio([lib]));
            using (var h2 = CatalogIndex.Open(cat, IndexKind.Hnsw))     // patched: 2 segments added
            {
                Assert.Equal(segments - 1, h2.Count);
                var (keys, matrix, _) = cat.SegmentVectors();
                for (int i = 0; i < keys.Length; i++)
                    Assert.Equal(keys[i], h2.Search(matrix.AsSpan(i * 8, 8), 1)[0].Key);
            }
            Assert.Single(Directory.GetFiles(dir, "*.hnsw"));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally { Directory.Delete(lib, true); if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_new_model_makes_the_catalog_stale_until_reembedded_from_stored_features()
    {
        var dir = _audio.CopyCatalog();
        try
        {
            var cat = MusicCatalog.Open(dir);
            Assert.Equal(6, cat.CountTracks());
            cat.EnsureCurrent("proj1");
            var before = cat.SegmentVectors().Matrix;

            var parts2 = TestParts.Create(modelSeed: 2);
            Assert.Throws<StaleCatalogException>(() => new CatalogIngest(MusicCatalog.Open(dir), parts2));
            var cat2 = MusicCatalog.Open(dir);
            var ingest2 = new CatalogIngest(cat2, parts2, adoptModel: true);
            Assert.Equal(6, cat2.CountStaleTracks());
            Assert.Throws<StaleCatalogException>(() => cat2.EnsureCurrent("proj2"));
            Assert.Throws<StaleCatalogException>(() => cat2.EnsureCurrent("proj1"));

            int decodes = TestParts.Decodes;
            var r = ingest2.Reembed();
            Assert.Equal(6, r.Count(IngestOutcome.Replaced));
            Assert.Equal(decodes, TestParts.Decodes);            // from stored features, no decoding
            Assert.Equal(0, cat2.CountStaleTracks());
            cat2.EnsureCurrent("proj2");
            var after = cat2.SegmentVectors().Matrix;
            Assert.Equal(before.Length, after.Length);
            Assert.NotEqual(before, after);
            // identical to a fresh ingest with the new model
            var fresh = Path.Combine(Path.GetTempPath(), "viml-cat-" + Guid.NewGuid().ToString("N"));
            try
            {
                var (cat3, ingest3) = NewCatalog(fresh, seed: 2);
                ingest3.Add(CatalogIngest.FindAudio([_audio.Dir]));
                Assert.Equal(after, cat3.SegmentVectors().Matrix);
            }
            finally { Directory.Delete(fresh, true); }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Recommend_ranks_the_track_of_the_query_segment_first_and_filters()
    {
        var dir = _audio.CopyCatalog();
        try
        {
            var cat = MusicCatalog.Open(dir);
            var noise = cat.Tracks().Single(t => t.Path.EndsWith("noise.flac"));
            var (_, segIds, feats) = cat.FeaturesOf(noise.Id);
            var query = new ProjectionModel(1).EmbedMusic([feats[1]]);   // the second segment, 10-20 s
            using var index = CatalogIndex.Open(cat, IndexKind.Exact);
            var rec = new Recommender(cat, index);
            var top = rec.Recommend(query, new RecommendOptions(Top: 3));
            Assert.Equal(3, top.Count);
            Assert.Equal(noise.Id, top[0].Track.Id);
            Assert.Equal(1f, top[0].Score, 3);
            Assert.True(top[0].Score >= top[1].Score && top[1].Score >= top[2].Score);
            Assert.Equal(noise.Id, top.Select(t => t.Track.Id).Distinct().Single(id => id == noise.Id));

            var shortOnly = rec.Recommend(query, new RecommendOptions(Top: 10, MaxDuration: 12));
            Assert.All(shortOnly, r => Assert.True(r.Track.Metadata.Duration <= 12));
            Assert.Equal(4, shortOnly.Count);      // a440 12 s, low 8 s, high 11 s, air 6 s
            var tonal = rec.Recommend(query, new RecommendOptions(Top: 10, Tags: ["tonal"]));
            Assert.All(tonal, r => Assert.Contains(r.Tags, t => t.Name == "test:genre:tonal"));
            Assert.DoesNotContain(tonal, r => r.Track.Id == noise.Id);
            Assert.Throws<UsageException>(() => rec.Recommend(query, new RecommendOptions(Top: 0)));   // exit 64, like every option out of range
            Assert.Equal(["noisy"], Recommender.SharedWords("something noisy and raw", cat.TagsOf(noise.Id)));
        }
        finally { Directory.Delete(dir, true); }
    }
}
