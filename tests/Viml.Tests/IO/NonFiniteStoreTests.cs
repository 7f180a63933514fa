using Viml.Catalog;
using Viml.Features;
using Viml.IO;

namespace Viml.Tests.IO;

/// <summary>No store writes a NaN or an infinity: the error is typed and names the file and the segment or tensor,
/// and nothing is written.</summary>
public sealed class NonFiniteStoreTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "viml-nonfinite-" + Guid.NewGuid().ToString("N"));

    public NonFiniteStoreTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    static float[] Row(int n, float v = 0.25f) => Enumerable.Repeat(v, n).ToArray();

    [Fact]
    public void The_catalog_refuses_a_NaN_tag_naming_the_file_and_segment_and_keeps_nothing()
    {
        var info = new CatalogInfo("test-music", 3, ["a", "b"], "model-x", 4);
        var cat = MusicCatalog.OpenOrCreate(Path.Combine(_dir, "cat"), info);
        var nanTags = new[] { 0.5f, float.NaN };
        var record = new TrackRecord("/music/song.mp3", "hash", 10, 1, new TrackMetadata("song", null, null, null, 12),
            [new SegmentRecord(0, 10, Row(3), Row(2), Row(4)), new SegmentRecord(10, 12, Row(3), nanTags, Row(4))],
            Row(4), Row(2), "model-x");
        var e = Assert.Throws<NonFiniteValuesException>(() => cat.Put(record));
        Assert.Contains("/music/song.mp3", e.Message);
        Assert.Contains("segment 1 (10-12 s) tag confidences", e.Message);
        Assert.Equal(70, Viml.Cli.ExitCodes.For(e));
        Assert.Empty(cat.Tracks());
    }

    [Fact]
    public void The_catalog_refuses_an_infinite_vector()
    {
        var cat = MusicCatalog.OpenOrCreate(Path.Combine(_dir, "cat"), new CatalogInfo("test-music", 3, ["a", "b"], "model-x", 4));
        var record = new TrackRecord("/music/a.mp3", "hash", 10, 1, new TrackMetadata("a", null, null, null, 10),
            [new SegmentRecord(0, 10, Row(3), Row(2), Row(4))], [1, float.PositiveInfinity, 0, 0], Row(2), "model-x");
        var e = Assert.Throws<NonFiniteValuesException>(() => cat.Put(record));
        Assert.Contains("/music/a.mp3: the track's vector", e.Message);
        Assert.Empty(cat.Tracks());
    }

    [Fact]
    public void The_feature_store_refuses_NaN_music_features_naming_item_source_and_segment()
    {
        var store = FeatureStore.OpenOrCreate(Path.Combine(_dir, "store"), new StoreInfo("test-video", 2, "test-music", 3, ["a"]));
        var item = new FeatureItem("clip-7", [Row(2), Row(2)], [Row(3), [0, float.NaN, 0]], [Row(1), Row(1)], [0, 10],
            new Dictionary<string, string> { ["audio"] = "/videos/clip7.mp4" });
        var e = Assert.Throws<NonFiniteValuesException>(() => store.Write(item));
        Assert.Contains("clip-7 (/videos/clip7.mp4): segment 1 (from 10 s) music features", e.Message);
        Assert.False(store.Contains("clip-7"));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(_dir, "store"), "*", SearchOption.AllDirectories),
            f => f.EndsWith(".safetensors", StringComparison.Ordinal));
    }

    [Fact]
    public void Safetensors_files_such_as_checkpoints_refuse_non_finite_weights()
    {
        string path = Path.Combine(_dir, "model.safetensors");
        var e = Assert.Throws<NonFiniteValuesException>(() => SafeTensors.Save(path,
            [new NamedTensor("fine", [2], [1, 2]), new NamedTensor("proj.weight", [2, 2], [1, 2, float.NegativeInfinity, 4])]));
        Assert.Contains($"{path}: tensor proj.weight holds 1 NaN or infinite value (first at index 2", e.Message);
        Assert.Empty(Directory.EnumerateFiles(_dir));
    }
}
