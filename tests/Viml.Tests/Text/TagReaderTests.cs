using Viml.Text;

namespace Viml.Tests.Text;

public class TagReaderTests
{
    static readonly string[] Names =
    {
        "msd:genre:rock", "mtt:genre:rock", "jamendo:genre:rock", "msd:genre:hard rock",
        "jamendo:mood/theme:happy", "mtt:timbre:guitar", "jamendo:instrument:electricguitar",
        "mtt:timbre:male vocal", "mtt:timbre:no vocals", "msd:era:80s", "other:genre:polka",
    };

    static float[] Row(params (string Name, float C)[] set)
    {
        var r = new float[Names.Length];
        foreach (var (n, c) in set) r[Array.IndexOf(Names, n)] = c;
        return r;
    }

    static IEnumerable<string> Kept(TagSet t) => t.Attributes.Select(a => a.Name).Order();

    [Fact]
    public void Mean_over_segments_then_threshold_inclusive()
    {
        var reader = new TagReader(Names);
        var segs = new[] { Row(("jamendo:mood/theme:happy", 0.5f), ("msd:genre:rock", 0.2f)), Row(("jamendo:mood/theme:happy", 0.1f), ("msd:genre:rock", 0.4f)) };
        // happy mean 0.3 (kept, >= 0.3), rock mean 0.3 too
        var t = reader.Read(segs);
        Assert.Equal(new[] { "happy", "rock" }, Kept(t));
        var strict = new TagReader(Names, new TagSelection(0.31));
        Assert.True(strict.Read(segs).IsEmpty);
    }

    [Fact]
    public void Max_aggregation_keeps_a_tag_strong_in_one_segment()
    {
        var segs = new[] { Row(("jamendo:mood/theme:happy", 0.9f)), Row(), Row(), Row() };
        Assert.True(new TagReader(Names).Read(segs).IsEmpty); // mean 0.225
        var t = new TagReader(Names, new TagSelection(0.3, TagAggregation.Max)).Read(segs);
        Assert.Equal(0.9f, t.Tags.Single().Confidence, 5);
    }

    [Fact]
    public void Joined_synonyms_take_the_strongest_column()
    {
        var t = new TagReader(Names).Read(new[] { Row(("msd:genre:rock", 0.35f), ("mtt:genre:rock", 0.8f), ("jamendo:genre:rock", 0.5f)) });
        Assert.Equal("rock", t.Tags.Single().Attribute.Name);
        Assert.Equal(0.8f, t.Tags.Single().Confidence, 5);
    }

    [Fact]
    public void A_broader_tag_yields_to_a_narrower_one()
    {
        var t = new TagReader(Names).Read(new[] { Row(("mtt:timbre:guitar", 0.9f), ("jamendo:instrument:electricguitar", 0.4f), ("msd:genre:rock", 0.6f), ("msd:genre:hard rock", 0.5f)) });
        Assert.Equal(new[] { "electric guitar", "hard rock" }, Kept(t));
    }

    [Fact]
    public void Instrumental_and_sung_vocals_never_stay_together()
    {
        var reader = new TagReader(Names);
        Assert.Equal(new[] { "male vocals" }, Kept(reader.Read(new[] { Row(("mtt:timbre:male vocal", 0.6f), ("mtt:timbre:no vocals", 0.4f)) })));
        Assert.Equal(new[] { "instrumental" }, Kept(reader.Read(new[] { Row(("mtt:timbre:male vocal", 0.4f), ("mtt:timbre:no vocals", 0.7f)) })));
    }

    [Fact]
    public void Unknown_names_are_listed_and_dropped_ones_are_ignored()
    {
        var reader = new TagReader(Names);
        Assert.Equal(new[] { "other:genre:polka" }, reader.UnknownTags);
        Assert.True(reader.Read(new[] { Row(("msd:era:80s", 0.99f), ("other:genre:polka", 0.99f)) }).IsEmpty);
    }

    [Fact]
    public void A_store_with_no_known_tag_is_refused_with_a_clear_message()
    {
        var e = Assert.Throws<InvalidInputException>(() => new TagReader(new[] { "vggish:audioset:Speech", "bogus" }));
        Assert.Contains("none of the 2 tag names", e.Message);
        Assert.Contains("vggish:audioset:Speech", e.Message);
        var e2 = Assert.Throws<InvalidInputException>(() => new TagReader(Array.Empty<string>()));
        Assert.Contains("no tag names", e2.Message);
    }

    [Fact]
    public void Bad_confidences_and_rows_name_the_item()
    {
        var reader = new TagReader(Names);
        var bad = Row(); bad[0] = float.NaN;
        Assert.Contains("clip-7", Assert.Throws<InvalidInputException>(() => reader.Read(new[] { bad }, "clip-7")).Message);
        Assert.Contains("3 tag confidences", Assert.Throws<InvalidInputException>(() => reader.Read(new[] { new float[3] }, "clip-8")).Message);
        Assert.Throws<ConfigException>(() => new TagReader(Names, new TagSelection(1.5)));
    }

    [Fact]
    public void No_segments_give_an_empty_tag_set() => Assert.True(new TagReader(Names).Read(Array.Empty<float[]>()).IsEmpty);
}
