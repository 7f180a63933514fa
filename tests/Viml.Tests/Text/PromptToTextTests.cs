using Viml.Features;
using Viml.Text;

namespace Viml.Tests.Text;

public class PromptToTextTests
{
    static readonly TagVocabulary V = TagVocabulary.Default;
    static AnalogySynthesizer Analogy => SynthesizerTests.Analogy;

    static TagSet Figure2B() => new(new[]
    {
        new ScoredAttribute(V.Get("country"), 0.472f), new ScoredAttribute(V.Get("rock"), 0.308f),
        new ScoredAttribute(V.Get("happy"), 0.402f), new ScoredAttribute(V.Get("relaxing"), 0.317f),
        new ScoredAttribute(V.Get("drums"), 0.639f), new ScoredAttribute(V.Get("electric guitar"), 0.505f),
        new ScoredAttribute(V.Get("male vocals"), 0.497f),
    });

    static PromptToTextSynthesizer Make(ILanguageModel model, PromptOptions? o = null, List<string>? warnings = null) =>
        new(model, HumanExamples.Shipped(), Analogy, o ?? new PromptOptions(), w => warnings?.Add(w));

    static OpenAiCompatibleModel Http(LocalCompletionServer s, double timeoutSeconds = 10, bool chat = false) =>
        new(s.BaseUrl, "test-model", "sk-test", chat, TimeSpan.FromSeconds(timeoutSeconds));

    [Fact]
    public void The_prompt_has_the_format_of_Figure_2()
    {
        using var server = new LocalCompletionServer((_, _) => LocalCompletionServer.Completion(""));
        using var m = Http(server);
        var p = Make(m);
        Assert.Equal("GENRES: country (47.2%), rock (30.8%); MOODS: happy (40.2%), relaxing (31.7%); INSTRUMENTS: drums (63.9%), electric guitar (50.5%), male vocals (49.7%)",
            p.FormatInput(Figure2B()));
        var a = new HumanExample("x", "test", TagSet.FromNames(V, "electronic", "synthesizer"), "Electronic party track with high energy synth lines.");
        string prompt = p.BuildPrompt(new[] { a }, TagSet.FromNames(V, "jazz"));
        Assert.Equal(
            "[Input]: GENRES: electronic (90.0%); MOODS: none; INSTRUMENTS: synthesizer (85.0%)\n" +
            "[Output]: Electronic party track with high energy synth lines.\n" +
            "[Input]: GENRES: jazz (90.0%); MOODS: none; INSTRUMENTS: none\n" +
            "[Output]:", prompt);
    }

    [Fact]
    public void Clean_cuts_at_stop_strings_and_trims_rambling_to_whole_sentences()
    {
        using var server = new LocalCompletionServer((_, _) => LocalCompletionServer.Completion(""));
        using var m = Http(server);
        var p = Make(m, new PromptOptions { MaxWords = 12 });
        Assert.Equal("Country rock track with a nostalgic feel.", p.Clean("  Country rock track with a nostalgic feel.\n[Input]: GENRES: pop (50.0%)"));
        Assert.Equal("Country rock track.", p.Clean(": \"Country rock track.\"[Input]"));
        Assert.Equal("Country rock track with drums. Great for a road trip.",
            p.Clean("Country rock track with drums. Great for a road trip. It goes on and on and on about many other things forever."));
        Assert.Equal("", p.Clean("one two three four five six seven eight nine ten eleven twelve thirteen fourteen"));
    }

    [Theory]
    [InlineData("", "empty or rambling")]
    [InlineData("Rock.", "too short")]
    [InlineData("GENRES: country (47.2%), rock (30.8%)", "repeats the prompt")]
    [InlineData("Una canción de rock con guitarra eléctrica y batería.", "not English")]
    [InlineData("rock rock rock rock rock rock rock rock rock rock", "repeats itself")]
    [InlineData("A lovely tune for a sunny afternoon drive.", "mentions none of the tags")]
    [InlineData("Country rock track with a nostalgic feel and male vocals.", null)]
    public void Validate_says_why_a_completion_is_unusable(string text, string? reason)
    {
        using var m = new OpenAiCompatibleModel("http://127.0.0.1:9/v1", null, null, false, TimeSpan.FromSeconds(1)); // never called
        Assert.Equal(reason, Make(m).Validate(text, Figure2B(), Array.Empty<HumanExample>()));
    }

    [Fact]
    public void A_canned_completion_from_a_real_local_server_is_used()
    {
        using var server = new LocalCompletionServer((_, _) => LocalCompletionServer.Completion(" Country rock track with a nostalgic feel. The song features drums and male vocals.\n[Input]: GENRES"));
        using var m = Http(server);
        var p = Make(m, new PromptOptions { Examples = 3 });
        string text = p.Describe(Figure2B(), new Random(1));
        Assert.Equal("Country rock track with a nostalgic feel. The song features drums and male vocals.", text);
        var req = Assert.Single(server.Requests);
        Assert.Equal("/v1/completions", req.Path);
        Assert.Equal("Bearer sk-test", req.Authorization);
        Assert.Equal("test-model", (string?)req.Body["model"]);
        string prompt = (string)req.Body["prompt"]!;
        Assert.Equal(4, prompt.Split("[Input]: GENRES:").Length - 1); // k = 3 examples + the new input
        Assert.EndsWith("[Input]: GENRES: country (47.2%), rock (30.8%); MOODS: happy (40.2%), relaxing (31.7%); INSTRUMENTS: drums (63.9%), electric guitar (50.5%), male vocals (49.7%)\n[Output]:", prompt);
        Assert.Contains("\n", req.Body["stop"]!.AsArray().Select(x => (string?)x));
        Assert.Equal(1, p.Accepted);
    }

    [Fact]
    public void Chat_endpoints_work_too()
    {
        using var server = new LocalCompletionServer((_, _) => LocalCompletionServer.Completion("Happy country song with drums."));
        using var m = Http(server, chat: true);
        Assert.Equal("Happy country song with drums.", Make(m).Describe(Figure2B(), new Random(1)));
        Assert.Equal("/v1/chat/completions", server.Requests.Single().Path);
    }

    [Fact]
    public void A_server_error_is_retried_with_another_example_set()
    {
        using var server = new LocalCompletionServer((n, _) => n == 0
            ? new LocalCompletionServer.Reply(500, "{\"error\":\"overloaded\"}")
            : LocalCompletionServer.Completion("Relaxing country tune with electric guitar."));
        using var m = Http(server);
        var warnings = new List<string>();
        var p = Make(m, null, warnings);
        Assert.Equal("Relaxing country tune with electric guitar.", p.Describe(Figure2B(), new Random(4)));
        Assert.Equal(2, server.Requests.Count);
        var prompts = server.Requests.Select(r => (string)r.Body["prompt"]!).ToList();
        Assert.NotEqual(prompts[0], prompts[1]);
        Assert.Empty(warnings);
        Assert.Equal(1, p.Rejections["model failed"]);
    }

    [Fact]
    public void Rambling_and_echoing_completions_fall_back_to_analogy_with_a_warning()
    {
        var replies = new[] { "Country rock (47.2%), GENRES: pop (30.0%)", "", "la la la la la la la la la la la la" };
        using var server = new LocalCompletionServer((n, _) => LocalCompletionServer.Completion(replies[n % 3]));
        using var m = Http(server);
        var warnings = new List<string>();
        var p = Make(m, null, warnings);
        string text = p.Describe(Figure2B(), new Random(2));
        Assert.Equal(1.0, TextReport.Fidelity(text, Figure2B()).Recall, 3); // the analogy fallback wrote it
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(1, p.FellBack);
        var w = Assert.Single(warnings);
        Assert.Contains("used analogy instead", w);
        Assert.Contains("repeats itself", w);
        Assert.Contains("repeats the prompt", w);
    }

    [Fact]
    public void A_timeout_falls_back_and_repeated_failures_stop_calling_the_model()
    {
        using var server = new LocalCompletionServer((_, _) => LocalCompletionServer.Completion("Country rock song.") with { DelayMs = 5000 });
        using var m = Http(server, timeoutSeconds: 0.3);
        var warnings = new List<string>();
        var p = Make(m, new PromptOptions { MaxAttempts = 2, MaxConsecutiveFailures = 3 }, warnings);
        var texts = Enumerable.Range(0, 4).Select(i => p.Describe(Figure2B(), new Random(i))).ToList();
        Assert.All(texts, t => Assert.True(t.Length > 10));
        Assert.Equal(3, p.Rejections["model failed"]); // 2 tries, then 1 more: the model is given up on
        Assert.InRange(server.Requests.Count, 0, 3);    // (a request cut off by the client may never reach the server's log)
        Assert.Equal(4, p.FellBack);
        Assert.Contains(warnings, w => w.Contains("no answer within 0.3 s"));
        Assert.Contains(warnings, w => w.Contains("failed 3 times in a row"));
    }

    [Fact]
    public void A_refused_key_stops_the_run_and_nothing_is_written()
    {
        using var server = new LocalCompletionServer((_, _) => new LocalCompletionServer.Reply(401, "{\"error\":\"bad key\"}"));
        using var m = Http(server);
        using var d = new TempDir();
        var store = TextSynthesisTests.MakeStore(d.Path, 3);
        var p = Make(m);
        var e = Assert.Throws<ConfigException>(() => TextSynthesis.Run(store, p));
        Assert.Contains("HTTP 401", e.Message);
        Assert.Contains("API key", e.Message);
        Assert.False(File.Exists(TextSynthesis.OutputPath(d.Path, "prompt2text")));
        Assert.Empty(Directory.GetFiles(Path.Combine(d.Path, "texts")));
    }

    [Fact]
    public void A_refused_connection_is_a_failure_not_a_crash()
    {
        string url;
        using (var s = new LocalCompletionServer((_, _) => LocalCompletionServer.Completion(""))) url = s.BaseUrl;
        using var m = new OpenAiCompatibleModel(url, null, null, false, TimeSpan.FromSeconds(5));
        var warnings = new List<string>();
        var p = Make(m, new PromptOptions { MaxAttempts = 1 }, warnings);
        Assert.False(string.IsNullOrWhiteSpace(p.Describe(Figure2B(), new Random(1))));
        Assert.Contains("cannot connect", warnings.Single());
    }

    [Fact]
    public void Bad_endpoint_settings_are_refused_by_name()
    {
        Assert.Contains("not an http(s) URL", Assert.Throws<ConfigException>(() => new OpenAiCompatibleModel("ftp://x", null, null, false, TimeSpan.FromSeconds(1))).Message);
        Assert.Contains("needs a language model", Assert.Throws<ConfigException>(() => new LanguageModelConfig().Open()).Message);
        Assert.Contains("not both", Assert.Throws<ConfigException>(() => new LanguageModelConfig { GgufPath = "a.gguf", BaseUrl = "http://x" }.Open()).Message);
    }

    [Fact]
    public void Huge_tag_sets_and_long_examples_still_fit_the_context()
    {
        using var server = new LocalCompletionServer((_, _) => LocalCompletionServer.Completion("Rock song with drums."));
        using var m = new OpenAiCompatibleModel(server.BaseUrl, null, null, false, TimeSpan.FromSeconds(10), contextTokens: 400);
        var huge = new TagSet(V.TaggerAttributes.Select((a, i) => new ScoredAttribute(a, 0.99f - i * 0.005f)));
        var longExamples = HumanExamples.Shipped().Take(50).Select(e => e with { Text = string.Join(" ", Enumerable.Repeat(e.Text, 20)) });
        var p = new PromptToTextSynthesizer(m, longExamples, Analogy, new PromptOptions { Examples = 8, MaxExampleChars = 2000 });
        Assert.Equal("Rock song with drums.", p.Describe(huge, new Random(1)));
        string prompt = (string)server.Requests.Single().Body["prompt"]!;
        Assert.True(m.CountTokens(prompt) + 80 <= 400, $"prompt of {prompt.Length} chars");
        string input = prompt.Split('\n')[^2];
        Assert.StartsWith("[Input]: GENRES: ", input);
        Assert.Equal(8, input.Split(';')[0].Split("), ").Length); // at most 8 tags per category
        // a context too small even for the input alone: no request, fallback
        using var tiny = new OpenAiCompatibleModel(server.BaseUrl, null, null, false, TimeSpan.FromSeconds(10), contextTokens: 100);
        var warnings = new List<string>();
        var q = new PromptToTextSynthesizer(tiny, longExamples, Analogy, new PromptOptions(), warnings.Add);
        Assert.False(string.IsNullOrWhiteSpace(q.Describe(huge, new Random(1))));
        Assert.Single(server.Requests);
        Assert.Contains("does not fit", warnings.Single());
    }
}
