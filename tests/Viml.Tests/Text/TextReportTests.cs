using Viml.Text;

namespace Viml.Tests.Text;

public class TextReportTests
{
    static readonly TagVocabulary V = TagVocabulary.Default;

    [Fact]
    public void Fidelity_counts_related_mentions_and_hallucinations()
    {
        var tags = TagSet.FromNames(V, "rock", "electric guitar", "happy", "male vocals");
        var (r, h) = TextReport.Fidelity("A happy rock song with guitar, saxophone and a male singer.", tags);
        Assert.Equal(1.0, r, 6);               // guitar counts for electric guitar, male singer for male vocals
        Assert.Equal(1.0 / 5, h, 6);           // saxophone is not in the tags
        var (r2, h2) = TextReport.Fidelity("Nothing about music here.", tags);
        Assert.Equal(0, r2);
        Assert.Equal(0, h2);
    }

    [Fact]
    public void Diversity_is_distinct_ngrams_over_all_texts()
    {
        var sets = new[] { TagSet.FromNames(V, "rock"), TagSet.FromNames(V, "rock") };
        var m = TextReport.Measure("x", new[] { "rock song", "rock song" }, sets, null, null);
        Assert.Equal(0.5, m.Distinct1, 6);
        Assert.Equal(0.5, m.Distinct2, 6);
        Assert.Equal(2, m.Vocabulary);
        Assert.Null(m.NearestHuman);
    }

    [Fact]
    public void Held_out_tag_sets_never_come_from_the_example_pool()
    {
        var held = TextReport.HeldOut(50);
        Assert.Equal(50, held.Count);
        Assert.All(held, e => Assert.True(e.HeldOut && e.Tags.Count >= 3));
        var pool = SynthesizerTests.Analogy.Nearest(held[0].Tags, 1000).Select(e => e.Id).ToHashSet();
        Assert.DoesNotContain(held[0].Id, pool);
    }

    [Fact]
    [Trait("Category", "E2E")]
    public void The_report_ranks_tags_most_faithful_and_analogy_most_diverse()
    {
        var held = TextReport.HeldOut(60, seed: 3);
        using var encoder = TextReport.DefaultEncoder();
        var rows = TextReport.Run(held, new ITextSynthesizer[] { new TagsSynthesizer(), new DataToTextSynthesizer(), SynthesizerTests.Analogy }, encoder, 3)
            .ToDictionary(r => r.Approach);
        Assert.Equal(1.0, rows["tags"].TagRecall, 6);
        Assert.Equal(0.0, rows["tags"].Hallucination, 6);
        Assert.True(rows["data2text"].TagRecall > 0.98);
        Assert.True(rows["analogy"].Vocabulary > 2 * rows["data2text"].Vocabulary);
        Assert.True(rows["analogy"].Distinct1 > rows["data2text"].Distinct1);
        foreach (var r in rows.Values) Assert.InRange(r.CentroidSimilarity!.Value, 0.3, 1.0001);
        Assert.True(rows["analogy"].CentroidSimilarity > rows["tags"].CentroidSimilarity);
        Assert.True(rows["data2text"].NearestHuman > rows["tags"].NearestHuman);
        Assert.Contains("| analogy |", TextReport.ToMarkdown(rows.Values.ToList()));
    }
}
