using Viml.Catalog;

namespace Viml.Tests.Catalog;

public class WordQueryTests
{
    static string[] Names(IEnumerable<Viml.Text.MusicAttribute> a) => a.Select(x => x.Name).Order().ToArray();

    [Fact]
    public void Attributes_a_sentence_asks_for_are_wanted()
    {
        var q = WordQuery.Parse("A slow, calm piano piece with strings");
        Assert.Equal(new[] { "piano", "relaxing", "slow", "strings" }, Names(q.Wanted));
        Assert.Empty(q.Unwanted);
        Assert.Equal("A slow, calm piano piece with strings", q.EmbeddingText);
    }

    [Fact]
    public void Without_and_not_rule_attributes_out_to_the_end_of_the_clause()
    {
        var q = WordQuery.Parse("upbeat rock without drums or bass, not sad");
        Assert.Equal(new[] { "energetic", "rock" }, Names(q.Wanted));
        Assert.Equal(new[] { "bass", "drums", "sad" }, Names(q.Unwanted));
        Assert.DoesNotContain("drums", q.EmbeddingText);
        Assert.DoesNotContain("sad", q.EmbeddingText);
        Assert.Contains("upbeat rock", q.EmbeddingText);
    }

    [Fact]
    public void No_vocals_is_the_attribute_instrumental_not_a_negation()
    {
        var q = WordQuery.Parse("jazz with no vocals");
        Assert.Equal(new[] { "instrumental", "jazz" }, Names(q.Wanted));
        Assert.Empty(q.Unwanted);
    }

    [Fact]
    public void A_negation_stops_at_but()
    {
        var q = WordQuery.Parse("no guitar but lots of piano");
        Assert.Equal(new[] { "guitar" }, Names(q.Unwanted));
        Assert.Equal(new[] { "piano" }, Names(q.Wanted));
    }

    [Fact]
    public void A_sentence_of_only_ruled_out_words_leaves_nothing_to_encode()
    {
        var q = WordQuery.Parse("no drums");
        Assert.False(q.HasWords);
        Assert.Equal(new[] { "drums" }, Names(q.Unwanted));
    }

    [Fact]
    public void Descriptions_write_moods_genres_instruments_and_vocals()
    {
        var v = Viml.Text.TagVocabulary.Default;
        var tags = Viml.Text.TagSet.FromNames(v, "jazz", "relaxing", "piano", "drums", "instrumental");
        Assert.Equal("relaxing jazz music with piano and drums; instrumental", WordDescriptions.Describe(tags));
        Assert.Equal("music", WordDescriptions.Describe(Viml.Text.TagSet.Empty));
    }
}
