using Viml.Catalog;
using Viml.Encoders;
using Viml.Features;
using Viml.Tests.Catalog;

namespace Viml.Tests.Features;

/// <summary>
/// Training, catalog ingest and queries compute a segment's features one way (<see cref="SegmentFeatures"/>): the
/// same media gives the same vectors, bit for bit, whichever path made them.
/// </summary>
public sealed class SegmentFeaturesTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-segfeat-").FullName;
    public void Dispose() { Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); Directory.Delete(_dir, true); }

    [Fact]
    public void A_training_item_and_a_query_from_the_same_video_have_the_same_segment_vectors() =>
        SameVideoVectors(new StatsFrameEncoder(), new StatsEncoder(), new ProjectionModel(1), fps: 3);

    [Fact]
    public void A_catalog_track_and_a_store_item_from_the_same_audio_have_the_same_segment_vectors() =>
        SameMusicVectors(new StatsEncoder(), new ProjectionModel(1));

    [Fact, Trait("Category", "E2E")]
    public void With_resnet18_and_musicnn_training_query_and_catalog_features_agree_bitwise()
    {
        using var frames = new ResNet18FrameEncoder();
        using var music = new MusicnnEncoder();
        SameVideoVectors(frames, music, new ShapeModel(frames.Dimension, music.Dimension, HashTextEncoder.Size), fps: 2);
        SameMusicVectors(music, new ShapeModel(frames.Dimension, music.Dimension, HashTextEncoder.Size));
    }

    void SameVideoVectors(IFrameEncoder frames, IMusicEncoder music, ICatalogModel model, double fps)
    {
        // 16 s of picture and 20 s of sound: the item ends with the picture, at 16 s, as the query does
        string video = TestParts.Video(Path.Combine(_dir, "v.mp4"), 16);
        string audio = TestParts.Tone(Path.Combine(_dir, "a.wav"), 440, 20);
        var extractor = new Extractor(frames, music, new ExtractorOptions(Fps: fps, FrameBatch: 7));
        var item = extractor.Extract(new ManifestItem("v", video, audio));

        var query = new VideoQuery(new QueryParts(new FfmpegVideo(), frames, new HashTextEncoder(), model, fps));
        var segments = query.Segments(video);

        Assert.Equal([0.0, 10.0], item.SegmentStarts);
        Assert.Equal(item.SegmentStarts, segments.Segments.Select(s => s.Start));
        Assert.Equal(2, segments.Features.Length);
        for (int i = 0; i < 2; i++) Assert.Equal(item.Video[i], segments.Features[i]!);
        Assert.NotEqual(item.Video[0], item.Video[1]);   // the pattern moves: the two segments differ
    }

    void SameMusicVectors(IMusicEncoder music, ICatalogModel model)
    {
        // 44.1 kHz audio, resampled to the encoder's rate on both paths; 20 s = two 10-s segments
        string song = TestParts.Tone(Path.Combine(_dir, "song.wav"), 0, 20);
        var extractor = new Extractor(new StatsFrameEncoder(), music);
        var item = extractor.Extract(new ManifestItem("song", song));

        var parts = CatalogParts.Ingest(model, music);
        var catalog = MusicCatalog.OpenOrCreate(Path.Combine(_dir, "catalog"), CatalogIngest.InfoFor(parts));
        new CatalogIngest(catalog, parts).Add([song]);
        var (_, _, features) = catalog.FeaturesOf(catalog.Tracks().Single().Id);

        Assert.Equal(2, item.Music.Length);
        Assert.Equal(item.Music.Length, features.Length);
        for (int i = 0; i < features.Length; i++) Assert.Equal(item.Music[i], features[i]);
        Assert.NotEqual(item.Music[0], item.Music[1]);   // pink noise: the two segments differ
    }

    /// <summary>A model of the given feature sizes whose embeddings are the first rows' leading values: these tests
    /// read segment features, which do not depend on the model.</summary>
    sealed class ShapeModel(int video, int music, int text) : ICatalogModel
    {
        public string Id => "shape";
        public int Dimension => 4;
        public int MusicDimension => music;
        public int VideoDimension => video;
        public int TextDimension => text;
        public float[] EmbedMusic(float[][] musicSegments) => musicSegments[0][..4];
        public float[] EmbedQuery(float[][] videoSegments, float[]? textBase) => videoSegments[0][..4];
        public float[]? EmbedTextOnly(float[] textBase) => null;
    }
}
