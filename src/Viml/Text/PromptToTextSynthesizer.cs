using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Viml.Text;

/// <summary>Settings of prompt2text.</summary>
public sealed record PromptOptions
{
    /// <summary>k: human examples in each prompt (fewer when the prompt would not fit the context).</summary>
    public int Examples { get; init; } = 5;
    /// <summary>Examples are drawn from this many best-matching ones, so the analogies are close but vary.</summary>
    public int ExampleCandidates { get; init; } = 40;
    /// <summary>Tries per description, each with another example set, before falling back to analogy.</summary>
    public int MaxAttempts { get; init; } = 3;
    public int MaxTokens { get; init; } = 80;
    public float Temperature { get; init; } = 0.8f;
    public int MinWords { get; init; } = 3;
    public int MaxWords { get; init; } = 60;
    /// <summary>An example's description is cut to its first sentences within this many characters.</summary>
    public int MaxExampleChars { get; init; } = 300;
    /// <summary>At most this many tags per category in an [Input] line.</summary>
    public int MaxTagsPerCategory { get; init; } = 8;
    /// <summary>A description must mention at least one of its tags (or a related attribute).</summary>
    public bool RequireTagMention { get; init; } = true;
    /// <summary>After this many backend failures in a row the model is given up on; analogy writes the rest.</summary>
    public int MaxConsecutiveFailures { get; init; } = 5;
    /// <summary>Warnings printed before further ones are only counted.</summary>
    public int MaxWarnings { get; init; } = 5;
}

/// <summary>
/// Approach 3 (<c>prompt2text</c>): the paper's analogy prompt (Figure 2): k lines
/// <c>[Input]: GENRES: electronic (82.6%), dance (63.9%); MOODS: ...; INSTRUMENTS: ...</c> /
/// <c>[Output]: &lt;human description&gt;</c>, then the new tag set's <c>[Input]</c> and <c>[Output]:</c>; the completion is
/// the description. The completion is cut at the stop strings, trimmed to whole sentences, and validated
/// (not empty, not rambling, not a copy of the prompt or an example, English, mentions a tag); a failed one is retried
/// with another example set, and after <see cref="PromptOptions.MaxAttempts"/> the analogy approach writes it, with a warning.
/// </summary>
public sealed class PromptToTextSynthesizer : ITextSynthesizer
{
    readonly ILanguageModel _model;
    readonly IReadOnlyList<HumanExample> _examples;
    readonly AnalogySynthesizer _fallback;
    readonly PromptOptions _o;
    readonly Action<string>? _warn;
    readonly TagVocabulary _vocabulary;
    int _consecutiveFailures, _warnings;
    bool _givenUp;

    public string Name => "prompt2text";
    /// <summary>Descriptions written by the model, and by the analogy fallback.</summary>
    public int Accepted { get; private set; }
    public int FellBack { get; private set; }
    /// <summary>Why completions were rejected or failed, with counts.</summary>
    public Dictionary<string, int> Rejections { get; } = new();

    public static readonly IReadOnlyList<string> StopStrings = new[] { "\n", "[Input]", "[Output]" };

    public PromptToTextSynthesizer(ILanguageModel model, IEnumerable<HumanExample> examples, AnalogySynthesizer fallback,
        PromptOptions? options = null, Action<string>? warn = null, TagVocabulary? vocabulary = null)
    {
        _model = model;
        _o = options ?? new PromptOptions();
        if (_o.Examples < 0 || _o.MaxAttempts < 1) throw new ConfigException("prompt2text: examples must be >= 0 and attempts >= 1");
        _vocabulary = vocabulary ?? TagVocabulary.Default;
        _examples = examples.Where(e => !e.HeldOut && !e.Tags.IsEmpty && HumanExamples.LooksEnglish(e.Text))
            .Select(e => e with { Text = Shorten(e.Text, _o.MaxExampleChars) }).Where(e => e.Text.Length > 0).ToList();
        _fallback = fallback;
        _warn = warn;
    }

    // ---- the prompt (Figure 2) ----

    /// <summary>"GENRES: electronic (82.6%), dance (63.9%); MOODS: ...; INSTRUMENTS: ..." (a category with no tag: "none").</summary>
    public string FormatInput(TagSet tags)
    {
        string Part(string label, IEnumerable<ScoredAttribute> list)
        {
            var items = list.Take(_o.MaxTagsPerCategory).Select(t => $"{t.Attribute.Name} ({(t.Confidence * 100).ToString("0.0", CultureInfo.InvariantCulture)}%)").ToList();
            return $"{label}: {(items.Count == 0 ? "none" : string.Join(", ", items))}";
        }
        return string.Join("; ", Part("GENRES", tags.Of(TagCategory.Genre)), Part("MOODS", tags.Of(TagCategory.Mood)), Part("INSTRUMENTS", tags.InstrumentsAndVocals));
    }

    public string BuildPrompt(IReadOnlyList<HumanExample> examples, TagSet tags)
    {
        var sb = new StringBuilder();
        foreach (var e in examples)
            sb.Append("[Input]: ").Append(FormatInput(e.Tags)).Append('\n').Append("[Output]: ").Append(e.Text).Append('\n');
        sb.Append("[Input]: ").Append(FormatInput(tags)).Append('\n').Append("[Output]:");
        return sb.ToString();
    }

    static readonly Regex Sentences = new(@"(?<=[.!?])\s+", RegexOptions.Compiled);

    static string Shorten(string text, int maxChars)
    {
        string t = Regex.Replace(text, @"\s+", " ").Trim();
        if (t.Length <= maxChars) return t;
        var sb = new StringBuilder();
        foreach (var s in Sentences.Split(t))
        {
            if (sb.Length + s.Length + 1 > maxChars) break;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(s);
        }
        return sb.ToString();
    }

    /// <summary>k examples near B for this attempt, then as many as fit the model's context.</summary>
    (string Prompt, IReadOnlyList<HumanExample> Used)? Fit(TagSet tags, Random rng)
    {
        var near = _fallback.Nearest(tags, _o.ExampleCandidates).ToHashSet();
        var candidates = _examples.Where(near.Contains).ToList();
        if (candidates.Count < _o.Examples) candidates = _examples.ToList();
        var chosen = candidates.OrderBy(_ => rng.Next()).Take(_o.Examples).ToList();
        while (true)
        {
            string prompt = BuildPrompt(chosen, tags);
            if (_model.CountTokens(prompt) + _o.MaxTokens <= _model.ContextTokens) return (prompt, chosen);
            if (chosen.Count == 0) return null;
            chosen.RemoveAt(chosen.Count - 1);
        }
    }

    // ---- cleaning and validation ----

    /// <summary>The description in a raw completion: up to the first stop string, whole sentences within the word limit.</summary>
    public string Clean(string raw)
    {
        string t = raw.Replace("\r", "");
        t = Regex.Replace(t, @"^\s*(\[Output\]\s*)?:?\s*", "");
        int cut = t.Length;
        foreach (var s in StopStrings) { int i = t.IndexOf(s, StringComparison.Ordinal); if (i >= 0 && i < cut) cut = i; }
        t = t[..cut].Trim().Trim('"', '\'', '“', '”').Trim();
        var words = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > _o.MaxWords)
        {
            var sb = new StringBuilder();
            int n = 0;
            foreach (var s in Sentences.Split(t))
            {
                int w = s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                if (n + w > _o.MaxWords) break;
                sb.Append(sb.Length > 0 ? " " : "").Append(s);
                n += w;
            }
            t = sb.ToString();
        }
        return t;
    }

    /// <summary>Null when the description is usable, else why not.</summary>
    public string? Validate(string text, TagSet tags, IReadOnlyList<HumanExample> examples)
    {
        if (text.Length == 0) return "empty or rambling";
        var words = Regex.Matches(text, @"[\p{L}\p{N}'&-]+").Select(m => m.Value.ToLowerInvariant()).ToList();
        if (words.Count < _o.MinWords) return "too short";
        if (Regex.IsMatch(text, @"GENRES:|MOODS:|INSTRUMENTS:|\d+(\.\d+)?%\)|\[(In|Out)put")) return "repeats the prompt";
        if (examples.Any(e => string.Equals(e.Text.Trim(), text.Trim(), StringComparison.OrdinalIgnoreCase))) return "copies an example";
        if (words.Count >= 8 && words.Distinct().Count() < 0.5 * words.Count) return "repeats itself";
        if (!HumanExamples.LooksEnglish(text)) return "not English";
        if (_o.RequireTagMention)
        {
            var mentioned = _vocabulary.MentionedAttributes(text);
            if (!mentioned.Any(m => tags.Attributes.Any(a => _vocabulary.Related(a, m)))) return "mentions none of the tags";
        }
        return null;
    }

    // ---- generation ----

    public string Describe(TagSet tags, Random rng)
    {
        if (tags.IsEmpty) throw new InvalidInputException("prompt2text: the tag set is empty, there is nothing to describe");
        var reasons = new List<string>();
        for (int attempt = 0; attempt < _o.MaxAttempts && !_givenUp; attempt++)
        {
            var fit = Fit(tags, rng);
            if (fit is null) { reasons.Add("the input alone does not fit the model's context"); Count("prompt too long"); break; }
            var (prompt, used) = fit.Value;
            string raw;
            try
            {
                raw = _model.Complete(new CompletionRequest(prompt, _o.MaxTokens, StopStrings, _o.Temperature, rng.Next()));
                _consecutiveFailures = 0;
            }
            catch (LanguageModelException e) when (e.Transient)
            {
                reasons.Add(e.Message);
                Count("model failed");
                if (++_consecutiveFailures >= _o.MaxConsecutiveFailures)
                {
                    _givenUp = true;
                    Warn($"prompt2text: {_model.Name} failed {_consecutiveFailures} times in a row (last: {e.Message}); the analogy approach writes the remaining descriptions");
                }
                continue;
            }
            catch (LanguageModelException e)
            {
                throw new ConfigException($"prompt2text: {e.Message}", e);
            }
            string text = Clean(raw);
            string? why = Validate(text, tags, used);
            if (why is null) { Accepted++; return text; }
            reasons.Add(why);
            Count(why);
        }
        FellBack++;
        if (!_givenUp || reasons.Count > 0)
            Warn($"prompt2text: no usable description from {_model.Name} for [{string.Join(", ", tags.Attributes)}] after {reasons.Count} tries ({string.Join("; ", reasons.Distinct())}); used analogy instead");
        return _fallback.Describe(tags, rng);
    }

    void Count(string reason) => Rejections[reason] = Rejections.GetValueOrDefault(reason) + 1;

    void Warn(string message)
    {
        if (_warn is null) return;
        _warnings++;
        if (_warnings <= _o.MaxWarnings) _warn(message);
        else if (_warnings == _o.MaxWarnings + 1) _warn("prompt2text: further warnings are only counted (see the summary)");
    }

    /// <summary>One line on what the model did: accepted, fell back, rejection reasons.</summary>
    public string Summary() =>
        $"prompt2text with {_model.Name}: {Accepted} descriptions from the model, {FellBack} from the analogy fallback" +
        (Rejections.Count > 0 ? "; rejected or failed: " + string.Join(", ", Rejections.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} x{kv.Value}")) : "");
}
