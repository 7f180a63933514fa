using Microsoft.Data.Sqlite;
using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Tests.Catalog;

/// <summary>A catalog made without a model whose tracks carry known tag confidences (as the taggers store them),
/// searched by words with the real MiniLM sentence encoder.</summary>
public sealed class TaggedCatalogFixture : IDisposable
{
    public static readonly string[] TagNames =
        ["msd:genre:jazz", "msd:genre:rock", "mtt:genre:classical", "mtt:instrument:piano", "mtt:instrument:drums",
         "mtt:instrument:strings", "mtt:instrument:guitar", "mtt:vocals:vocals", "mtt:mood:slow", "mtt:mood:fast", "msd:mood:sad"];
    public string Dir { get; } = Directory.CreateTempSubdirectory("viml-words-").FullName;
    public MusicCatalog Catalog { get; }
    public ITextEncoder Text { get; } = EncoderRegistry.CreateTextEncoder("minilm");
    public Dictionary<string, long> Ids { get; } = new();

    public TaggedCatalogFixture()
    {
        var model = new BaseMusicModel("features-test", 4);
        Catalog = MusicCatalog.OpenOrCreate(Dir, new CatalogInfo("features-test", 4, TagNames, model.Id, 4));
        //            jazz rock  clas  piano drums strg  guit  voc   slow  fast  sad
        Put("jazz trio", [0.8f, 0.05f, 0.1f, 0.7f, 0.6f, 0.05f, 0.1f, 0.05f, 0.2f, 0.3f, 0.1f], [1, 0, 0, 0]);
        Put("jazz piano solo", [0.7f, 0.02f, 0.2f, 0.9f, 0.02f, 0.02f, 0.02f, 0.02f, 0.5f, 0.05f, 0.2f], [0.9f, 0.1f, 0, 0]);
        Put("rock anthem", [0.05f, 0.9f, 0.02f, 0.05f, 0.9f, 0.02f, 0.8f, 0.7f, 0.05f, 0.7f, 0.05f], [0, 1, 0, 0]);
        Put("sad strings", [0.02f, 0.02f, 0.85f, 0.1f, 0.02f, 0.9f, 0.02f, 0.02f, 0.8f, 0.02f, 0.7f], [0, 0, 1, 0]);
        SqliteConnection.ClearAllPools();
    }

    void Put(string title, float[] tags, float[] features)
    {
        var path = Path.Combine(Dir, title + ".wav");
        var seg = new SegmentRecord(0, 10, features, tags, new BaseMusicModel("features-test", 4).EmbedMusic([features]));
        Ids[title] = Catalog.Put(new TrackRecord(path, title, 1, 1, new TrackMetadata(title, null, null, null, 10), [seg], seg.Embedding, tags, "none:features-test"));
    }

    public void Dispose() { Text.Dispose(); SqliteConnection.ClearAllPools(); Directory.Delete(Dir, true); }
}

public class WordSearchTests(TaggedCatalogFixture f) : IClassFixture<TaggedCatalogFixture>
{
    string[] Titles(string? text, Steering? steering = null, int top = 4)
    {
        using var service = new RecommendService(f.Catalog, f.Text);
        return service.Recommend(null, text, new RecommendOptions(Top: top), steering ?? Steering.Default).Items.Select(r => r.Track.Metadata.Title).ToArray();
    }

    [Fact]
    public void A_sentence_finds_its_style_without_a_model()
    {
        Assert.StartsWith("jazz", Titles("a relaxed jazz tune")[0]);
        Assert.Equal("rock anthem", Titles("loud rock with electric guitar and a singer")[0]);
        Assert.Equal("sad strings", Titles("a melancholic orchestral piece")[0]);
    }

    [Fact]
    public void Without_drums_moves_the_drummed_jazz_below_the_solo_piano()
    {
        var with = Titles("jazz with drums");
        var without = Titles("jazz without drums");
        Assert.Equal("jazz trio", with[0]);
        Assert.Equal("jazz piano solo", without[0]);
    }

    [Fact]
    public void Tempo_words_use_the_taggers_slow_and_fast()
    {
        Assert.Equal("jazz trio", Titles("fast jazz")[0]);
        Assert.Equal("jazz piano solo", Titles("slow jazz")[0]);
    }

    [Fact]
    public void Every_segment_and_track_gets_a_description_once()
    {
        using (var service = new RecommendService(f.Catalog, f.Text)) service.Recommend(null, "jazz", new RecommendOptions(), Steering.Default);
        Assert.Equal(0, WordDescriptions.Ensure(f.Catalog, f.Text));
        Assert.Contains("jazz", WordDescriptions.OfTrack(f.Catalog, f.Ids["jazz trio"]));
    }

    [Fact]
    public void More_like_a_track_finds_its_neighbour_and_never_itself()
    {
        var like = Titles(null, new Steering(LikeTrack: f.Ids["jazz trio"]), top: 3);
        Assert.Equal("jazz piano solo", like[0]);
        Assert.DoesNotContain("jazz trio", like);
    }

    [Fact]
    public void Like_and_words_together_rank_by_both()
    {
        // like the rock anthem's sound, but in words: sad strings
        var both = Titles("sad orchestral strings", new Steering(LikeTrack: f.Ids["jazz piano solo"]), top: 3);
        Assert.Equal(3, both.Length);
        Assert.DoesNotContain("jazz piano solo", both);
        Assert.Contains("sad strings", both.Take(2));
    }

    [Fact]
    public void A_video_without_a_model_is_refused_with_the_way_out()
    {
        using var service = new RecommendService(f.Catalog, f.Text);
        var e = Assert.Throws<InvalidInputException>(() => service.Recommend("clip.mp4", "jazz", new RecommendOptions(), Steering.Default));
        Assert.Contains("--model", e.Message);
    }

    [Fact]
    public void Text_weight_outside_zero_to_one_is_refused()
    {
        Assert.Throws<InvalidInputException>(() => Titles("jazz", new Steering(TextWeight: 1.5)));
    }
}
