using Viml.IO;
using Viml.Text;

namespace Viml.Tests.Text;

public class VocabularyTests
{
    static readonly TagVocabulary V = TagVocabulary.Default;

    [Fact]
    public void The_table_maps_the_150_tagger_tags_50_per_model_once_each()
    {
        Assert.Equal(150, V.TaggerTable.Count);
        foreach (var model in new[] { "msd", "mtt", "jamendo" })
            Assert.Equal(50, V.TaggerTable.Count(r => r.Model == model));
        Assert.Equal(150, V.TaggerTable.Select(r => (r.Model, r.Tag)).Distinct().Count());
        var counts = V.TaggerAttributes.GroupBy(a => a.Category).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(46, counts[TagCategory.Genre]);
        Assert.Equal(18, counts[TagCategory.Mood]);
        Assert.Equal(18, counts[TagCategory.Instrument]);
        Assert.Equal(4, counts[TagCategory.Vocals]);
        Assert.Equal(10, V.TaggerTable.Count(r => r.Attribute is null)); // 6 eras + beat, beats, solo, computer
    }

    [Fact]
    public void The_table_names_exactly_the_tags_of_the_shipped_labels_files()
    {
        var files = new Dictionary<string, string>
        {
            ["msd"] = "models/music/msd-musicnn/msd_musicnn_labels.tsv",
            ["mtt"] = "models/music/mtt-musicnn/mtt_musicnn_labels.tsv",
            ["jamendo"] = "models/music/mtg-jamendo-musicnn/mtgjamendo_top50_labels.tsv",
        };
        foreach (var (model, rel) in files)
        {
            var rows = File.ReadAllLines(ProjectPaths.Vendored(rel)).Skip(1).Select(l => l.Split('\t')).ToList();
            Assert.Equal(50, rows.Count);
            foreach (var r in rows)
            {
                var (known, _) = V.ResolveTagName($"{model}:{r[1]}:{r[2]}");
                Assert.True(known, $"{model}:{r[1]}:{r[2]} is not in the table");
            }
        }
    }

    [Theory]
    [InlineData("msd:genre:hiphop", "hip-hop")]
    [InlineData("jamendo:genre:hiphop", "hip-hop")]
    [InlineData("msd:genre:electronica", "electronic")]
    [InlineData("mtt:timbre:female voice", "female vocals")]
    [InlineData("msd:timbre:female vocalists", "female vocals")]
    [InlineData("mtt:timbre:no vocals", "instrumental")]
    [InlineData("jamendo:mood/theme:film", "cinematic")]
    [InlineData("jamendo:instrument:acousticguitar", "acoustic guitar")]
    [InlineData("mtt:genre:classic", "classical")]
    [InlineData("MTG-Jamendo:mood:relaxing", "relaxing")] // category ignored, model name normalised
    public void Synonyms_are_joined(string tag, string attribute)
    {
        var (known, a) = V.ResolveTagName(tag);
        Assert.True(known);
        Assert.Equal(attribute, a!.Name);
    }

    [Theory]
    [InlineData("msd:era:80s")]
    [InlineData("msd:scene:oldies")]
    [InlineData("mtt:beat:beats")]
    [InlineData("jamendo:instrument:computer")]
    public void Eras_and_non_musical_tags_are_dropped(string tag)
    {
        var (known, a) = V.ResolveTagName(tag);
        Assert.True(known);
        Assert.Null(a);
    }

    [Theory]
    [InlineData("other:genre:rock")]
    [InlineData("msd:genre:polka")]
    [InlineData("rock")]
    [InlineData("msd:genre:")]
    [InlineData("")]
    public void Unknown_or_malformed_tag_names_are_unknown(string tag) => Assert.False(V.ResolveTagName(tag).Known);

    [Fact]
    public void Mentions_prefer_the_longest_phrase_and_accept_plurals_and_hyphens()
    {
        var m = V.FindMentions("A Hip hop track with electric guitars, a female vocalist and hip-hop drums; no vocals? Rock'n'roll.");
        Assert.Equal(new[] { "hip-hop", "electric guitar", "female vocals", "hip-hop", "drums", "instrumental", "rock" }, m.Select(x => x.Attribute.Name));
        Assert.Equal("electric guitars", "A Hip hop track with electric guitars"[m[1].Start..(m[1].Start + m[1].Length)]);
    }

    [Fact]
    public void A_phrase_never_spans_punctuation()
    {
        // "hard, rock" is two words across a comma: not "hard rock".
        var m = V.FindMentions("It is hard, rock and soul.");
        Assert.Equal(new[] { "rock", "soul" }, m.Select(x => x.Attribute.Name));
    }

    [Fact]
    public void Related_follows_parents_both_ways_but_not_siblings()
    {
        Assert.True(V.Related(V.Get("electric guitar"), V.Get("guitar")));
        Assert.True(V.Related(V.Get("guitar"), V.Get("acoustic guitar")));
        Assert.False(V.Related(V.Get("electric guitar"), V.Get("acoustic guitar")));
        Assert.True(V.Related(V.Get("male vocals"), V.Get("vocals")));
    }
}
