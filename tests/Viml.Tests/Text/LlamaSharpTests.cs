using Viml.Text;

namespace Viml.Tests.Text;

/// <summary>The real LLamaSharp path with a tiny random-weights GGUF (it writes gibberish, which is the point).</summary>
public class LlamaSharpTests
{
    internal static string TinyModel => Path.Combine(AppContext.BaseDirectory, "Text", "Fixtures", "llama-2-tiny-random.gguf");

    [Fact]
    public void Loads_tokenises_and_stops_at_the_stop_strings()
    {
        using var m = new LlamaSharpModel(TinyModel, 512, threads: 1);
        Assert.InRange(m.CountTokens("[Input]: GENRES: rock (80.0%)"), 5, 40);
        var raws = Enumerable.Range(0, 4).Select(i => m.Complete(new CompletionRequest("[Input]: GENRES: rock (80.0%)\n[Output]:", 48, PromptToTextSynthesizer.StopStrings, 0.9f, i))).ToList();
        Assert.Contains(raws, r => r.Length > 0);
        // Generation ends at a stop string (which LLamaSharp leaves at the end) or at the token limit, never past one.
        foreach (var r in raws)
            foreach (var stop in PromptToTextSynthesizer.StopStrings)
            {
                int i = r.IndexOf(stop, StringComparison.Ordinal);
                Assert.True(i < 0 || i + stop.Length >= r.Length - 8, $"text continues after '{stop}': {r}");
            }
    }

    [Fact]
    public void Gibberish_is_rejected_and_analogy_writes_the_description_with_a_warning()
    {
        using var m = new LlamaSharpModel(TinyModel, 1024, threads: 1);
        var warnings = new List<string>();
        var p = new PromptToTextSynthesizer(m, HumanExamples.Shipped(), SynthesizerTests.Analogy, new PromptOptions { Examples = 2, MaxTokens = 32 }, warnings.Add);
        var tags = TagSet.FromNames(TagVocabulary.Default, "rock", "happy", "male vocals", "drums");
        string text = p.Describe(tags, new Random(1));
        Assert.True(TextReport.Fidelity(text, tags).Recall >= 0.75, text);
        Assert.Equal(1, p.FellBack);
        Assert.Equal(0, p.Accepted);
        Assert.Equal(3, p.Rejections.Values.Sum());
        Assert.Contains("llama-2-tiny-random.gguf", Assert.Single(warnings));
        Assert.Contains("used analogy instead", warnings[0]);
    }

    [Fact]
    public void A_prompt_longer_than_the_context_loses_examples_first()
    {
        using var m = new LlamaSharpModel(TinyModel, 160, threads: 1);
        var p = new PromptToTextSynthesizer(m, HumanExamples.Shipped(), SynthesizerTests.Analogy, new PromptOptions { Examples = 6, MaxTokens = 16, MaxAttempts = 1 });
        var tags = TagSet.FromNames(TagVocabulary.Default, "jazz", "piano");
        Assert.False(string.IsNullOrWhiteSpace(p.Describe(tags, new Random(2))));
        Assert.DoesNotContain("prompt too long", p.Rejections.Keys); // it fitted with fewer examples
        Assert.Equal(1, p.Rejections.Values.Sum());
    }

    [Fact]
    public void Missing_and_broken_model_files_are_refused_by_name()
    {
        using var d = new TempDir();
        Assert.Contains("not found", Assert.Throws<ConfigException>(() => new LlamaSharpModel(d.File("none.gguf"))).Message);
        File.WriteAllText(d.File("text.gguf"), "hello, not a model");
        Assert.Contains("not a GGUF model file", Assert.Throws<ConfigException>(() => new LlamaSharpModel(d.File("text.gguf"))).Message);
        File.WriteAllBytes(d.File("cut.gguf"), File.ReadAllBytes(TinyModel)[..4096]);
        var e = Assert.Throws<ConfigException>(() => new LlamaSharpModel(d.File("cut.gguf")));
        Assert.Contains("cut.gguf", e.Message);
        Assert.Contains("cannot load", e.Message);
    }
}
