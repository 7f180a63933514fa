using Viml.Text;

namespace Viml.Tests.Text;

public class UnsupportedWordsTests
{
    static readonly TagVocabulary V = TagVocabulary.Default;

    [Fact]
    public void Words_the_tags_do_not_support_are_found_though_the_lexicon_does_not_know_them()
    {
        var tags = TagSet.FromNames(V, "jazz", "piano", "relaxing");
        const string text = "A relaxing jazz song played in a church, with piano and a theremin melody.";
        Assert.Equal(["church", "theremin"], SupportedWords.Unsupported(text, tags));
        Assert.Equal(0, TextReport.Fidelity(text, tags).Hallucination); // the attribute figure cannot see them
        // content words: relaxing jazz song played church piano theremin melody
        Assert.Equal(2.0 / 8, SupportedWords.UnsupportedShare(text, tags), 6);
        Assert.Empty(SupportedWords.Unsupported("The song has a slow rhythm and a simple melody on the piano.", tags));
    }

    [Theory]
    [InlineData("A bagpipe melody with piano and drums.")]
    [InlineData("A jazz church song with piano. It sounds like an Arabic prayer.")]
    [InlineData("Piano, theremin and drums play a calm tune.")]
    public void Analogy_drops_or_replaces_what_the_tags_do_not_support(string human)
    {
        var b = TagSet.FromNames(V, "rock", "piano", "drums");
        string r = SynthesizerTests.Analogy.Rewrite(human, b, new Random(1));
        Assert.Empty(SupportedWords.Unsupported(r, b));
        Assert.Equal(["drums", "piano", "rock"], V.MentionedAttributes(r).Select(a => a.Name).Order());
        Assert.DoesNotMatch(@"\s[,.]|,,|\u0001|\b(a|an|the|with|and)\.", r);
    }

    [Fact]
    public void A_prepositional_phrase_goes_with_its_preposition()
    {
        var b = TagSet.FromNames(V, "rock", "piano");
        string r = SynthesizerTests.Analogy.Rewrite("A rock song with piano in an old cathedral.", b, new Random(1));
        Assert.Equal("A rock song with piano.", r);
    }

    [Fact]
    public void Analogy_on_random_tag_sets_keeps_few_unsupported_words_and_the_report_shows_the_figure()
    {
        var rng = new Random(3);
        var sets = SynthesizerTests.RandomTagSets(100, 7);
        var texts = sets.Select(t => SynthesizerTests.Analogy.Describe(t, rng)).ToList();
        var m = TextReport.Measure("analogy", texts, sets, null, null);
        Assert.True(m.UnsupportedWords < 0.02, $"unsupported words {m.UnsupportedWords}");
        var human = TextReport.HeldOut(100);
        var h = TextReport.Measure("human", human.Select(e => e.Text).ToList(), human.Select(e => e.Tags).ToList(), null, null);
        Assert.True(h.UnsupportedWords > 0.1, $"human captions say more than their aspect tags: {h.UnsupportedWords}");
        Assert.Contains("| unsupported words |", TextReport.ToMarkdown([h, m]));
    }
}
