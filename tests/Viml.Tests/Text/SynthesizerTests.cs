using System.Text.RegularExpressions;
using Viml.Text;

namespace Viml.Tests.Text;

public class SynthesizerTests
{
    static readonly TagVocabulary V = TagVocabulary.Default;

    /// <summary>Random tag sets shaped like a tagger's output: 1-3 genres, 0-3 moods, 1-4 instruments, 0-1 vocals.</summary>
    internal static List<TagSet> RandomTagSets(int count, int seed)
    {
        var rng = new Random(seed);
        var by = V.TaggerAttributes.GroupBy(a => a.Category).ToDictionary(g => g.Key, g => g.ToArray());
        var sets = new List<TagSet>();
        for (int i = 0; i < count; i++)
        {
            var picked = new Dictionary<MusicAttribute, float>();
            void Take(TagCategory c, int n) { foreach (var a in by[c].OrderBy(_ => rng.Next()).Take(n)) picked[a] = 0.3f + 0.7f * rng.NextSingle(); }
            Take(TagCategory.Genre, rng.Next(1, 4));
            Take(TagCategory.Mood, rng.Next(0, 4));
            Take(TagCategory.Instrument, rng.Next(1, 5));
            Take(TagCategory.Vocals, rng.Next(0, 2));
            sets.Add(TagReader.Tidy(picked, V));
        }
        return sets;
    }

    static void AssertFluent(string text)
    {
        Assert.Matches(@"^[A-Z]", text);
        Assert.Matches(@"[.!?]$", text);
        Assert.DoesNotMatch(@"\s[,.]|,,|\s{2}|\u0001", text);
        Assert.DoesNotMatch(@"\b[Aa] [aeiou]", text.Replace("a one", "").Replace("a u", "")); // "a electronic"
        Assert.DoesNotMatch(@"\b[Aa]n [bcdfgjklmnpqstvwxyz]", text); // "an rock"
    }

    [Fact]
    public void Tags_are_the_kept_tags_shuffled_and_joined()
    {
        var t = TagSet.FromNames(V, "rock", "happy", "drums", "male vocals", "electric guitar");
        var s = new TagsSynthesizer();
        var outputs = Enumerable.Range(0, 20).Select(i => s.Describe(t, new Random(i))).ToList();
        foreach (var o in outputs) Assert.Equal(t.Attributes.Select(a => a.Name).Order(), o.Split(", ").Order());
        Assert.True(outputs.Distinct().Count() > 5, "the order must vary");
    }

    [Fact]
    public void Data2text_mentions_every_kept_tag_and_nothing_else_in_fluent_sentences()
    {
        var s = new DataToTextSynthesizer();
        var rng = new Random(3);
        var texts = new List<string>();
        foreach (var t in RandomTagSets(300, 1))
        {
            string text = s.Describe(t, rng);
            texts.Add(text);
            var (recall, halluc) = TextReport.Fidelity(text, t);
            Assert.True(recall == 1, $"{t} -> {text}");
            Assert.True(halluc == 0, $"{t} -> {text}");
            AssertFluent(text);
        }
        Assert.True(texts.Distinct().Count() == texts.Count);
        // all three depths of rewriting occur
        Assert.Contains(texts, x => Regex.IsMatch(x, @"^(A|An) "));
        Assert.Contains(texts, x => x.Split(". ").Length >= 3);
    }

    [Fact]
    public void Data2text_reads_like_the_papers_example()
    {
        var t = TagSet.FromNames(V, "country", "rock", "happy", "relaxing", "drums", "male vocals", "acoustic guitar");
        var s = new DataToTextSynthesizer();
        var texts = Enumerable.Range(0, 40).Select(i => s.Describe(t, new Random(i))).ToList();
        Assert.Contains(texts, x => x.StartsWith("This is country and rock music", StringComparison.Ordinal));
        Assert.All(texts, x => Assert.Contains("country and rock", x));
    }

    [Fact]
    public void Empty_tag_sets_are_refused_by_name()
    {
        Assert.Contains("empty", Assert.Throws<InvalidInputException>(() => new DataToTextSynthesizer().Describe(TagSet.Empty, new Random())).Message);
        Assert.Contains("empty", Assert.Throws<InvalidInputException>(() => Analogy.Describe(TagSet.Empty, new Random())).Message);
    }

    internal static readonly AnalogySynthesizer Analogy = AnalogySynthesizer.FromShipped();

    [Fact]
    public void Analogy_is_faithful_fluent_and_diverse()
    {
        var rng = new Random(5);
        var sets = RandomTagSets(200, 2);
        double recall = 0, halluc = 0;
        var texts = new List<string>();
        foreach (var t in sets)
        {
            string text = Analogy.Describe(t, rng);
            var (r, h) = TextReport.Fidelity(text, t);
            recall += r; halluc += h;
            texts.Add(text);
            Assert.DoesNotMatch(@"\s[,.]|,,|\u0001", text);
            Assert.Matches(@"^[A-Z0-9""']", text);
        }
        Assert.True(recall / sets.Count > 0.9, $"recall {recall / sets.Count}");
        Assert.True(halluc / sets.Count < 0.1, $"hallucination {halluc / sets.Count}");
        var vocab = texts.SelectMany(x => Regex.Matches(x.ToLowerInvariant(), @"[a-z]+").Select(m => m.Value)).Distinct().Count();
        var d2tVocab = sets.Select(t => new DataToTextSynthesizer().Describe(t, rng))
            .SelectMany(x => Regex.Matches(x.ToLowerInvariant(), @"[a-z]+").Select(m => m.Value)).Distinct().Count();
        Assert.True(vocab > 2 * d2tVocab, $"analogy vocabulary {vocab} vs data2text {d2tVocab}");
    }

    [Fact]
    public void Analogy_is_reproducible_for_a_seed()
    {
        var t = TagSet.FromNames(V, "jazz", "relaxing", "piano", "bass");
        Assert.Equal(Analogy.Describe(t, new Random(9)), Analogy.Describe(t, new Random(9)));
    }

    [Fact]
    public void Rewrite_substitutes_within_each_category_and_keeps_the_shape()
    {
        var b = TagSet.FromNames(V, "rock", "happy", "male vocals", "electric guitar");
        string a = "A somber folk ballad with a female vocalist, guitar and tambourine.";
        string r = Analogy.Rewrite(a, b, new Random(1));
        Assert.StartsWith("A happy rock ballad with a male vocal", r);
        Assert.Equal(new[] { "electric guitar", "happy", "male vocals", "rock" }, V.MentionedAttributes(r).Select(x => x.Name).Order());
        Assert.DoesNotContain("tambourine", r);
    }

    [Fact]
    public void Rewrite_adds_what_has_no_place_and_removes_what_b_lacks()
    {
        var b = TagSet.FromNames(V, "jazz", "piano", "drums", "bass", "relaxing");
        string r = Analogy.Rewrite("Upbeat pop song with guitar and synth.", b, new Random(2));
        var mentioned = V.MentionedAttributes(r).Select(x => x.Name).Order().ToList();
        Assert.Equal(new[] { "bass", "drums", "jazz", "piano", "relaxing" }, mentioned);
        Assert.StartsWith("Relaxing jazz song with", r);
    }

    [Fact]
    public void Rewrite_drops_a_negated_attribute_sentence_and_keeps_plurals()
    {
        var b = TagSet.FromNames(V, "rock", "piano");
        Assert.Equal("A rock track with piano.", Analogy.Rewrite("There are no drums in this song. A jazz track with piano.", b, new Random(1)));
        Assert.Equal("Two pianos play a rock tune.", Analogy.Rewrite("Two saxophones play a funk tune.", b, new Random(1)));
    }

    [Theory]
    [InlineData("with guitar, \u0001 and drums.", "with guitar and drums.")]
    [InlineData("with \u0001, bass and drums.", "with bass and drums.")]
    [InlineData("with bass and \u0001.", "with bass.")]
    [InlineData("with a male vocal, electric guitar and \u0001.", "with a male vocal and electric guitar.")]
    [InlineData("A \u0001 song with \u0001.", "A song.")]
    [InlineData("An \u0001 rock song.", "A rock song.")]
    [InlineData("Guitar chords and it sounds \u0001.", "Guitar chords.")]
    public void Repair_fixes_list_glue_and_articles(string input, string expected) => Assert.Equal(expected, AnalogySynthesizer.Repair(input));
}
