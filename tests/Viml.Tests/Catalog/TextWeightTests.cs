using Microsoft.Data.Sqlite;
using Viml.Catalog;

namespace Viml.Tests.Catalog;

/// <summary>The text knob on a catalog embedded by a (random-projection) model, with a real video decoded by ffmpeg:
/// its ends are the model's video-only ranking and the words-alone ranking, its middle the model's video + text.</summary>
public sealed class TextWeightTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-knob-").FullName;
    readonly MusicCatalog _catalog;
    readonly ProjectionModel _model = new(3, input: 4, dim: 6);
    readonly string _video;

    public TextWeightTests()
    {
        _catalog = MusicCatalog.OpenOrCreate(Path.Combine(_dir, "catalog"), new CatalogInfo("features-test", 4, TaggedCatalogFixture.TagNames, _model.Id, 6));
        var rng = new Random(5);
        string[] titles = ["jazz trio", "jazz piano solo", "rock anthem", "sad strings", "more rock", "more jazz"];
        float[][] tags =
        [
            [0.8f, 0.05f, 0.1f, 0.7f, 0.6f, 0.05f, 0.1f, 0.05f, 0.2f, 0.3f, 0.1f], [0.7f, 0.02f, 0.2f, 0.9f, 0.02f, 0.02f, 0.02f, 0.02f, 0.5f, 0.05f, 0.2f],
            [0.05f, 0.9f, 0.02f, 0.05f, 0.9f, 0.02f, 0.8f, 0.7f, 0.05f, 0.7f, 0.05f], [0.02f, 0.02f, 0.85f, 0.1f, 0.02f, 0.9f, 0.02f, 0.02f, 0.8f, 0.02f, 0.7f],
            [0.1f, 0.8f, 0.05f, 0.1f, 0.8f, 0.05f, 0.7f, 0.5f, 0.1f, 0.6f, 0.1f], [0.6f, 0.1f, 0.1f, 0.6f, 0.5f, 0.1f, 0.2f, 0.1f, 0.3f, 0.3f, 0.1f],
        ];
        for (int i = 0; i < titles.Length; i++)
        {
            var segs = Enumerable.Range(0, 2).Select(k =>
            {
                var f = Enumerable.Range(0, 4).Select(_ => (float)rng.NextDouble()).ToArray();
                return new SegmentRecord(10 * k, 10 * k + 10, f, tags[i], _model.EmbedMusic([f]));
            }).ToList();
            _catalog.Put(new TrackRecord(Path.Combine(_dir, titles[i] + ".wav"), titles[i], 1, 1, new TrackMetadata(titles[i], null, null, null, 20),
                segs, _model.EmbedMusic(segs.Select(s => s.Features).ToArray()), tags[i], _model.Id));
        }
        _video = TestParts.Video(Path.Combine(_dir, "clip.mp4"), 8);
    }

    static long[] Ids(RecommendResult r) => r.Items.Select(x => x.Track.Id).ToArray();

    [Fact]
    public void The_knob_runs_from_the_video_alone_through_the_model_to_the_words()
    {
        using var service = new RecommendService(_catalog, CatalogParts.Query(_model, new StatsFrameEncoder(), new HashTextEncoder(), fps: 2));
        using var wordsOnly = new RecommendService(_catalog, new HashTextEncoder());
        const string text = "sad orchestral strings";
        var options = new RecommendOptions(Top: 6);
        var videoOnly = Ids(service.Recommend(_video, null, options));
        var videoText = Ids(service.Recommend(_video, text, options));
        var words = Ids(wordsOnly.Recommend(null, text, options, Steering.Default));

        Assert.Equal(videoOnly, Ids(service.Recommend(_video, text, options, new Steering(TextWeight: 0))));
        Assert.Equal(videoText, Ids(service.Recommend(_video, text, options, new Steering(TextWeight: 0.5))));
        Assert.Equal(words, Ids(service.Recommend(_video, text, options, new Steering(TextWeight: 1))));
        // at 1 the words decide: the sad strings come first whatever the video says
        Assert.Equal("sad strings", service.Recommend(_video, text, options, new Steering(TextWeight: 1)).Items[0].Track.Metadata.Title);
    }

    public void Dispose() { SqliteConnection.ClearAllPools(); Directory.Delete(_dir, true); }
}
