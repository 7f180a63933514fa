using System.Text.Json;
using Viml.Features;
using Viml.Text;

namespace Viml.Tests.Text;

public class TextSynthesisTests
{
    /// <summary>The 150 tag names as the musicnn encoder writes them: "&lt;model&gt;:&lt;category&gt;:&lt;tag&gt;".</summary>
    internal static readonly string[] TagNames = TagVocabulary.Default.TaggerTable.Select(r => $"{r.Model}:cat:{r.Tag}").ToArray();

    /// <summary>A store of <paramref name="items"/> items with synthetic tag confidences; item "silent" (if asked) keeps no tag.</summary>
    internal static FeatureStore MakeStore(string root, int items, bool withSilent = false, IReadOnlyList<string>? tagNames = null)
    {
        var names = tagNames ?? TagNames;
        var store = FeatureStore.OpenOrCreate(root, new StoreInfo("test-video", 4, "test-music", 3, names));
        var rng = new Random(42);
        int Col(string model, string tag) => Array.FindIndex(names.ToArray(), n => n == $"{model}:cat:{tag}");
        var profiles = new[]
        {
            new[] { ("jamendo", "rock"), ("mtt", "drums"), ("jamendo", "electricguitar"), ("mtt", "male vocal"), ("jamendo", "happy") },
            new[] { ("jamendo", "electronic"), ("msd", "dance"), ("jamendo", "synthesizer"), ("mtt", "female"), ("jamendo", "energetic") },
            new[] { ("mtt", "classical"), ("mtt", "piano"), ("mtt", "strings"), ("msd", "sad"), ("mtt", "no vocals") },
        };
        for (int i = 0; i < items; i++)
        {
            int segments = 1 + i % 3;
            var tags = new float[segments][];
            for (int s = 0; s < segments; s++)
            {
                tags[s] = new float[names.Count];
                for (int t = 0; t < names.Count; t++) tags[s][t] = 0.2f * rng.NextSingle();
                foreach (var (model, tag) in profiles[i % profiles.Length])
                {
                    int c = Col(model, tag);
                    if (c >= 0) tags[s][c] = 0.5f + 0.5f * rng.NextSingle();
                }
            }
            Write(store, $"item-{i}", tags);
        }
        if (withSilent) Write(store, "silent", new[] { new float[names.Count] });
        return store;
    }

    static void Write(FeatureStore store, string id, float[][] tags)
    {
        int s = tags.Length;
        store.Write(new FeatureItem(id, Enumerable.Range(0, s).Select(_ => new float[4]).ToArray(), Enumerable.Range(0, s).Select(_ => new float[3]).ToArray(),
            tags, Enumerable.Range(0, s).Select(k => 10.0 * k).ToArray(), new Dictionary<string, string> { ["path"] = id + ".mp4" }));
    }

    static List<JsonElement> Lines(string path) => File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Theory]
    [InlineData("tags")]
    [InlineData("data2text")]
    [InlineData("analogy")]
    public void Writes_one_json_line_per_item_with_per_item_texts(string approach)
    {
        using var d = new TempDir();
        var store = MakeStore(d.Path, 6, withSilent: true);
        ITextSynthesizer synth = approach switch { "tags" => new TagsSynthesizer(), "data2text" => new DataToTextSynthesizer(), _ => SynthesizerTests.Analogy };
        var warnings = new List<string>();
        var summary = TextSynthesis.Run(store, synth, new SynthesisOptions { PerItem = 3, Seed = 7 }, warnings.Add);
        Assert.Equal(Path.Combine(d.Path, "texts", approach + ".jsonl"), summary.OutputPath);
        var lines = Lines(summary.OutputPath);
        Assert.Equal(7, lines.Count);
        Assert.Equal(store.ReadAll().Select(i => i.Id), lines.Select(l => l.GetProperty("id").GetString()));
        foreach (var l in lines)
        {
            var texts = l.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
            if (l.GetProperty("id").GetString() == "silent") Assert.Empty(texts);
            else Assert.Equal(3, texts.Count);
        }
        Assert.Equal(1, summary.EmptyTagSets);
        Assert.Contains(warnings, w => w.Contains("1 of 7 items kept no tag"));
        // the texts of item-0 describe its tags (rock, drums, electric guitar, male vocals, happy)
        var item0 = TextSynthesis.Read(summary.OutputPath)["item-0"];
        var kept = new TagReader(store.Info.TagNames).Read(store.Read("item-0").Tags);
        Assert.Equal(new[] { "drums", "electric guitar", "happy", "male vocals", "rock" }, kept.Attributes.Select(a => a.Name).Order());
        Assert.All(item0, t => Assert.True(TextReport.Fidelity(t, kept).Recall >= 0.8, t));
    }

    [Fact]
    public void The_same_seed_gives_the_same_file_and_another_seed_another()
    {
        using var d = new TempDir();
        var store = MakeStore(d.Path, 5);
        string path = TextSynthesis.Run(store, SynthesizerTests.Analogy, new SynthesisOptions { Seed = 1, PerItem = 2 }).OutputPath;
        string a = File.ReadAllText(path);
        TextSynthesis.Run(store, SynthesizerTests.Analogy, new SynthesisOptions { Seed = 1, PerItem = 2 });
        Assert.Equal(a, File.ReadAllText(path));
        TextSynthesis.Run(store, SynthesizerTests.Analogy, new SynthesisOptions { Seed = 2, PerItem = 2 });
        Assert.NotEqual(a, File.ReadAllText(path));
    }

    [Fact]
    public void Partly_unknown_tag_names_warn_and_wholly_unknown_ones_fail_before_writing()
    {
        using var d = new TempDir();
        var names = TagNames.Concat(new[] { "vggish:audioset:Speech" }).ToArray();
        var store = MakeStore(Path.Combine(d.Path, "a"), 2, tagNames: names);
        var warnings = new List<string>();
        TextSynthesis.Run(store, new TagsSynthesizer(), null, warnings.Add);
        Assert.Contains(warnings, w => w.Contains("1 of the store's 151 tag names") && w.Contains("vggish:audioset:Speech"));

        var other = MakeStore(Path.Combine(d.Path, "b"), 2, tagNames: new[] { "clap:x:a", "clap:x:b" });
        var e = Assert.Throws<InvalidInputException>(() => TextSynthesis.Run(other, new TagsSynthesizer()));
        Assert.Contains("clap:x:a", e.Message);
        Assert.False(Directory.Exists(Path.Combine(d.Path, "b", "texts")));
    }

    [Fact]
    public void A_failure_midway_leaves_the_previous_file_whole()
    {
        using var d = new TempDir();
        var store = MakeStore(d.Path, 4);
        string path = TextSynthesis.Run(store, new TagsSynthesizer()).OutputPath;
        string before = File.ReadAllText(path);
        // NaN confidences in the third item (stores refuse to write them, so the file is altered afterwards,
        // as a damaged or foreign file would be): the run stops there with the item named
        var names = store.Info.TagNames;
        var bad = new float[1][] { new float[names.Count] };
        const float marker = 12345.678f;
        bad[0][0] = marker;
        Write(store, "item-2", bad);
        string file = Directory.GetFiles(Path.Combine(d.Path, "items")).Single(f => File.ReadAllBytes(f).AsSpan().IndexOf(BitConverter.GetBytes(marker)) >= 0);
        var bytes = File.ReadAllBytes(file);
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, bytes.AsSpan().IndexOf(BitConverter.GetBytes(marker)));
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<InvalidInputException>(() => TextSynthesis.Run(store, new TagsSynthesizer()));
        Assert.Contains("item-2", e.Message);
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.Combine(d.Path, "texts")));
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        using var d = new TempDir();
        var store = MakeStore(d.Path, 1);
        Assert.Contains("--per-item", Assert.Throws<ConfigException>(() => TextSynthesis.Run(store, new TagsSynthesizer(), new SynthesisOptions { PerItem = 0 })).Message);
        Assert.Throws<ConfigException>(() => TextSynthesis.Run(store, new TagsSynthesizer(), new SynthesisOptions { Selection = new TagSelection(0) }));
    }

    [Fact]
    public void An_empty_store_gives_an_empty_file_and_a_warning()
    {
        using var d = new TempDir();
        var store = MakeStore(d.Path, 0);
        var warnings = new List<string>();
        var s = TextSynthesis.Run(store, new TagsSynthesizer(), null, warnings.Add);
        Assert.Equal(0, s.Items);
        Assert.Equal("", File.ReadAllText(s.OutputPath));
        Assert.Contains(warnings, w => w.Contains("no items"));
    }

    [Fact]
    public void The_cli_verb_writes_the_file_and_reports_bad_input_with_exit_codes()
    {
        using var d = new TempDir();
        MakeStore(d.Path, 3);
        var (code, _, _) = Cli("synth-text", "--store", d.Path, "--approach", "data2text", "--per-item", "2");
        Assert.Equal(0, code);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(d.Path, "texts", "data2text.jsonl")).Length);
        var (code2, _, err2) = Cli("synth-text", "--store", Path.Combine(d.Path, "nope"));
        Assert.Equal(2, code2);
        Assert.Contains("not a feature store", err2);
        var (code3, _, _) = Cli("synth-text", "--store", d.Path, "--approach", "poetry");
        Assert.Equal(64, code3);
        var (code4, _, err4) = Cli("synth-text", "--store", d.Path, "--approach", "prompt2text");
        Assert.Equal(2, code4);
        Assert.Contains("needs a language model", err4);
    }

    internal static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Viml.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var v in new[] { "VIML_LM_GGUF", "VIML_LM_BASE_URL" }) psi.Environment.Remove(v);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
