using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Features;
using Viml.Text;

namespace Viml.Cli.Commands;

sealed class SynthTextSettings : CommandSettings
{
    [CommandOption("--store <DIR>"), Description("Feature store whose items' tags are described; writes <store>/texts/<approach>.jsonl")]
    public string? Store { get; init; }

    [CommandOption("--approach <NAME>"), Description("tags | data2text | prompt2text | analogy (default: analogy)")]
    public string Approach { get; init; } = "analogy";

    [CommandOption("--per-item <N>"), Description("Descriptions per item (default 1)")]
    public int PerItem { get; init; } = 1;

    [CommandOption("--seed <N>"), Description("Random seed (default 0)")]
    public int Seed { get; init; }

    [CommandOption("--threshold <P>"), Description("Keep tags with confidence >= P (default 0.3)")]
    public double Threshold { get; init; } = 0.3;

    [CommandOption("--aggregate <HOW>"), Description("Pool segment confidences over the clip or track: mean | max (default mean)")]
    public string Aggregate { get; init; } = "mean";

    [CommandOption("--examples <SET>"), Description("Human examples for analogy and prompt2text: all | musiccaps | musictextclips (default all)")]
    public string Examples { get; init; } = "all";

    [CommandOption("--gguf <FILE>"), Description("prompt2text: local GGUF language model (or VIML_LM_GGUF)")]
    public string? Gguf { get; init; }

    [CommandOption("--lm-url <URL>"), Description("prompt2text: OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1 (or VIML_LM_BASE_URL); key from VIML_LM_API_KEY or OPENAI_API_KEY")]
    public string? LmUrl { get; init; }

    [CommandOption("--lm-model <NAME>"), Description("prompt2text: model name for the endpoint (or VIML_LM_MODEL)")]
    public string? LmModel { get; init; }

    [CommandOption("--lm-chat"), Description("prompt2text: use /chat/completions instead of /completions")]
    public bool LmChat { get; init; }

    [CommandOption("--lm-timeout <SECONDS>"), Description("prompt2text: seconds to wait for each completion (default 60)")]
    public double LmTimeout { get; init; } = 60;

    [CommandOption("-k|--prompt-examples <N>"), Description("prompt2text: k, the human examples per prompt (default 5)")]
    public int K { get; init; } = 5;

    [CommandOption("--report"), Description("Measure the approaches (fidelity, diversity, closeness to human text) on held-out MusicCaps tag sets and print a table")]
    public bool Report { get; init; }

    [CommandOption("--report-size <N>"), Description("Tag sets in the report (default 300)")]
    public int ReportSize { get; init; } = 300;

    [CommandOption("--report-out <FILE>"), Description("Also write the report table (Markdown) to this file")]
    public string? ReportOut { get; init; }

    public override ValidationResult Validate()
    {
        if (!Report && string.IsNullOrWhiteSpace(Store)) return ValidationResult.Error("--store <DIR> is required (or --report)");
        if (Approach is not ("tags" or "data2text" or "prompt2text" or "analogy")) return ValidationResult.Error($"--approach '{Approach}': use tags, data2text, prompt2text or analogy");
        if (Aggregate is not ("mean" or "max")) return ValidationResult.Error($"--aggregate '{Aggregate}': use mean or max");
        if (Examples is not ("all" or "musiccaps" or "musictextclips")) return ValidationResult.Error($"--examples '{Examples}': use all, musiccaps or musictextclips");
        if (ReportSize < 1) return ValidationResult.Error("--report-size must be at least 1");
        if (LmTimeout <= 0) return ValidationResult.Error("--lm-timeout must be positive");
        return ValidationResult.Success();
    }
}

sealed class SynthTextCommand : Command<SynthTextSettings>
{
    public override int Execute(CommandContext context, SynthTextSettings s, CancellationToken cancellation)
    {
        var set = s.Examples switch { "musiccaps" => ExampleSet.MusicCaps, "musictextclips" => ExampleSet.MusicTextClips, _ => ExampleSet.All };
        void Warn(string m) => Console.Error.WriteLine($"viml: warning: {m}");
        var lm = new LanguageModelConfig { GgufPath = s.Gguf, BaseUrl = s.LmUrl, Model = s.LmModel, Chat = s.LmChat, Timeout = TimeSpan.FromSeconds(s.LmTimeout) }.WithEnvironment();
        if (s.Report) return Report(s, set, AnalogySynthesizer.FromShipped(set), lm, Warn);

        var store = FeatureStore.Open(s.Store!);
        ILanguageModel? model = null;
        PromptToTextSynthesizer? p2t = null;
        try
        {
            ITextSynthesizer synth = s.Approach switch
            {
                "tags" => new TagsSynthesizer(),
                "data2text" => new DataToTextSynthesizer(),
                "prompt2text" => p2t = new PromptToTextSynthesizer(model = lm.Open(), HumanExamples.Shipped(set), AnalogySynthesizer.FromShipped(set), new PromptOptions { Examples = s.K }, Warn),
                _ => AnalogySynthesizer.FromShipped(set),
            };
            var options = new SynthesisOptions
            {
                PerItem = s.PerItem, Seed = s.Seed,
                Selection = new TagSelection(s.Threshold, s.Aggregate == "max" ? TagAggregation.Max : TagAggregation.Mean),
            };
            var summary = TextSynthesis.Run(store, synth, options, Warn, ct: cancellation);
            Console.WriteLine($"{summary.OutputPath}: {summary.Texts} descriptions for {summary.Items} items ({summary.EmptyTagSets} without kept tags; {summary.MeanKeptTags:0.0} tags kept per item on average)");
            if (p2t != null) Console.WriteLine(p2t.Summary());
            return 0;
        }
        finally { model?.Dispose(); }
    }

    static int Report(SynthTextSettings s, ExampleSet set, AnalogySynthesizer analogy, LanguageModelConfig lm, Action<string> warn)
    {
        var heldOut = TextReport.HeldOut(s.ReportSize, s.Seed);
        var approaches = new List<ITextSynthesizer> { new TagsSynthesizer(), new DataToTextSynthesizer(), analogy };
        var notes = new Dictionary<string, string>();
        ILanguageModel? model = null;
        PromptToTextSynthesizer? p2t = null;
        if (lm.IsConfigured)
        {
            model = lm.Open();
            p2t = new PromptToTextSynthesizer(model, HumanExamples.Shipped(set), analogy, new PromptOptions { Examples = s.K }, warn);
            approaches.Insert(2, p2t);
        }
        else warn("prompt2text is left out of the report: no language model configured (--gguf or --lm-url)");
        try
        {
            using var encoder = TextReport.DefaultEncoder();
            var rows = TextReport.Run(heldOut, approaches, encoder, s.Seed, new Progress<string>(a => Console.Error.WriteLine($"viml: measuring {a}...")));
            if (p2t != null)
                rows = rows.Select(r => r.Approach == "prompt2text" ? r with { Note = p2t.Summary() } : r).ToList();
            string table = $"{heldOut.Count} held-out MusicCaps tag sets (seed {s.Seed}), one description each\n\n" + TextReport.ToMarkdown(rows);
            Console.WriteLine(table);
            if (s.ReportOut != null) Viml.IO.AtomicFile.WriteAllText(s.ReportOut, table);
            return 0;
        }
        finally { model?.Dispose(); }
    }
}
