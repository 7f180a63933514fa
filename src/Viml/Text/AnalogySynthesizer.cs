using System.Text;
using System.Text.RegularExpressions;

namespace Viml.Text;

/// <summary>Settings of the analogy approach.</summary>
public sealed record AnalogyOptions
{
    /// <summary>The human example is drawn from this many best-matching ones (more = more diverse, less faithful).</summary>
    public int Candidates { get; init; } = 8;
    /// <summary>Candidates rewritten per description; the least damaged rewrite is kept.</summary>
    public int Tries { get; init; } = 4;
    /// <summary>At most this many of B's attributes per category that A' has no place for are added.</summary>
    public int MaxAddedPerCategory { get; init; } = 3;
    /// <summary>Longer examples are cut to their first sentences that mention attributes, at most this many.</summary>
    public int MaxSentences { get; init; } = 2;
}

/// <summary>
/// Approach 4 (<c>analogy</c>, no language model): solves A : A' :: B : B' by editing. For the new tag set B it
/// draws a human example (A, A') among those whose tags match B best, finds the attribute phrases A' uses, and
/// rewrites them: an attribute B also has stays; one B lacks is replaced by one of B's attributes of the same
/// category (genre for genre, mood for mood, instrument for instrument, vocals for vocals), or removed with its
/// list glue when B has none left; B's attributes that found no place are added to the nearest list of their
/// category or, failing that, in a short sentence. A's sentence shape stays: diverse, human-like text.
/// </summary>
public sealed class AnalogySynthesizer : ITextSynthesizer
{
    readonly IReadOnlyList<(HumanExample Example, string Text, Profile Profile)> _pool;
    readonly TagVocabulary _vocabulary;
    readonly AnalogyOptions _options;

    public string Name => "analogy";
    public int PoolSize => _pool.Count;

    public AnalogySynthesizer(IEnumerable<HumanExample> examples, AnalogyOptions? options = null, TagVocabulary? vocabulary = null)
    {
        _vocabulary = vocabulary ?? TagVocabulary.Default;
        _options = options ?? new AnalogyOptions();
        _pool = examples.Where(e => !e.HeldOut && !e.Tags.IsEmpty)
            .Select(e => (e, Shorten(e.Text), ProfileOf(e.Tags)))
            .Where(p => p.Item2.Length > 0)
            .ToList();
        if (_pool.Count == 0) throw new InvalidInputException("analogy: no usable human example (each needs tags and a text that mentions an attribute)");
    }

    /// <summary>The shipped human examples (YT8M-MusicTextClips and MusicCaps, held-out rows excluded).</summary>
    public static AnalogySynthesizer FromShipped(ExampleSet set = ExampleSet.All, AnalogyOptions? options = null) =>
        new(HumanExamples.Shipped(set), options);

    static readonly Regex SentenceSplit = new(@"(?<=[.!?])\s+(?=[A-Z])", RegexOptions.Compiled);

    static readonly Regex AboutTheRecording = new(@"\b(quality|recording|recorded|mono|noisy|noise|audio|fidelity|hiss\w*|speakers?|tutorial|instructions?|talking|speaking|speech|narrat\w*|clicks?|popping|sound effects?|amateur)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled);

    /// <summary>A' for rewriting: the first sentences that mention attributes and speak of the music, not of the recording.</summary>
    string Shorten(string text)
    {
        var sentences = SentenceSplit.Split(text.Trim());
        var kept = sentences.Where(s => _vocabulary.FindMentions(s).Count > 0 && !AboutTheRecording.IsMatch(s)).Take(_options.MaxSentences).ToList();
        return string.Join(" ", kept);
    }

    /// <summary>An example's attributes and, for related matches, the attributes with all their ancestors.</summary>
    sealed record Profile(HashSet<MusicAttribute> Exact, HashSet<string> Family);

    Profile ProfileOf(TagSet tags)
    {
        var family = new HashSet<string>();
        foreach (var a in tags.Attributes)
            for (string? n = a.Name; n != null; n = _vocabulary.Find(n)?.Parent) family.Add(n);
        return new Profile(tags.Attributes.ToHashSet(), family);
    }

    /// <summary>Similarity of an example's tags to B: matched attributes (a related one counts half) over the union.</summary>
    static double Match(Profile a, Profile b, TagSet bTags)
    {
        double hit = 0;
        foreach (var x in bTags.Attributes)
        {
            if (a.Exact.Contains(x)) hit += 1;
            else if (a.Family.Contains(x.Name) || a.Exact.Any(y => b.Family.Contains(y.Name) && y.Category == x.Category)) hit += 0.5;
        }
        return hit / (a.Exact.Count + bTags.Count - hit);
    }

    /// <summary>The best-matching examples for B, best first.</summary>
    public IReadOnlyList<HumanExample> Nearest(TagSet b, int count)
    {
        var profile = ProfileOf(b);
        return _pool.Select(p => (p.Example, Score: Match(p.Profile, profile, b))).OrderByDescending(p => p.Score)
            .ThenBy(p => p.Example.Id, StringComparer.Ordinal).Take(count).Select(p => p.Example).ToList();
    }

    public string Describe(TagSet tags, Random rng)
    {
        if (tags.IsEmpty) throw new InvalidInputException("analogy: the tag set is empty, there is nothing to describe");
        var profile = ProfileOf(tags);
        var scored = _pool.Select(p => (p, Score: Match(p.Profile, profile, tags) + 1e-6 * rng.NextDouble()))
            .OrderByDescending(x => x.Score).Take(_options.Candidates).ToList();
        // Draw a few candidates; keep the first whose rewrite needs no stand-in noun and drops no sentence.
        var order = Enumerable.Range(0, scored.Count).OrderBy(_ => rng.Next()).Take(_options.Tries).ToList();
        (string Text, int Damage)? best = null;
        foreach (int i in order)
        {
            var r = RewriteScored(scored[i].p.Text, tags, rng);
            if (best is null || r.Damage < best.Value.Damage) best = r;
            if (r.Damage == 0) break;
        }
        return best!.Value.Text;
    }

    /// <summary>Rewrites a human description A' so that its attributes become those of B.</summary>
    public string Rewrite(string source, TagSet b, Random rng) => RewriteScored(source, b, rng).Text;

    /// <summary>The rewrite and its damage: stand-in head nouns used plus sentences dropped.</summary>
    (string Text, int Damage) RewriteScored(string source, TagSet b, Random rng)
    {
        var unused = new Dictionary<TagCategory, List<MusicAttribute>>();
        foreach (TagCategory c in Enum.GetValues<TagCategory>())
            unused[c] = b.Of(c).Select(t => t.Attribute).ToList();
        var mentions = _vocabulary.FindMentions(source);
        foreach (var m in mentions) unused[m.Attribute.Category].Remove(m.Attribute);
        foreach (var list in unused.Values) Shuffle(list, rng);

        // Decide every mention: keep, replace, or remove.
        var edits = new List<(Mention M, string? Replacement)>();
        foreach (var m in mentions)
        {
            var a = m.Attribute;
            if (b.Contains(a)) { edits.Add((m, null)); continue; }
            var pool = unused[a.Category];
            MusicAttribute? r = pool.FirstOrDefault(x => _vocabulary.Related(a, x));
            // B has something narrower, already written ("singing" when B's male vocals are mentioned): still true.
            if (r is null && b.Attributes.Any(x => IsAncestor(a, x))) { edits.Add((m, null)); continue; }
            if (r is null && !(a.Category == TagCategory.Vocals && IsInstrumental(a) != IsInstrumental(pool.FirstOrDefault())))
                r = pool.FirstOrDefault();
            if (r is not null) pool.Remove(r);
            string original = source.Substring(m.Start, m.Length);
            edits.Add((m, r is not null ? Surface(original, r.Name, a.Category) : HeadFallback(source, m, original)));
        }

        // Sentences that lose every attribute they mentioned are dropped whole.
        var sentences = SentenceSpans(source);
        var dropSentence = sentences.Select(s =>
        {
            var inS = edits.Where(e => e.M.Start >= s.Start && e.M.Start < s.End).ToList();
            return inS.Count > 0 && (inS.All(e => e.Replacement is "" or DropSentence) || inS.Any(e => e.Replacement == DropSentence));
        }).ToArray();
        if (dropSentence.All(d => d)) dropSentence = new bool[sentences.Count]; // keep the shape rather than nothing

        var sb = new StringBuilder();
        var outMentions = new List<(int Start, int Length, TagCategory Category)>();
        for (int si = 0; si < sentences.Count; si++)
        {
            if (dropSentence[si]) continue;
            var (start, end) = sentences[si];
            int pos = start;
            foreach (var (m, rep) in edits.Where(e => e.M.Start >= start && e.M.Start < end))
            {
                sb.Append(source, pos, m.Start - pos);
                string text = rep == DropSentence ? "" : rep ?? source.Substring(m.Start, m.Length);
                if (text.Length > 0) outMentions.Add((sb.Length, text.Length, m.Attribute.Category));
                else sb.Append('\u0001'); // removal marker, repaired below
                sb.Append(text);
                pos = m.Start + m.Length;
            }
            sb.Append(source, pos, end - pos);
            sb.Append(' ');
        }
        string result = sb.ToString();

        // Add what B still lacks: into the last list of the same category, else as a short sentence.
        var added = new List<string>();
        var instrumental = unused[TagCategory.Vocals].FirstOrDefault(IsInstrumental);
        if (instrumental != null) { added.Add("There are no vocals."); unused[TagCategory.Vocals].Remove(instrumental); }
        // Instruments and sung vocals are one list, as in the paper's prompt.
        unused[TagCategory.Instrument].AddRange(unused[TagCategory.Vocals]);
        foreach (var c in new[] { TagCategory.Genre, TagCategory.Mood, TagCategory.Instrument })
        {
            var names = unused[c].Take(_options.MaxAddedPerCategory).Select(x => x.Name).ToList();
            if (names.Count == 0) continue;
            // the last list of the category; instruments never join a singer ("a male vocalist singing, piano and strings")
            var anchor = outMentions.Where(o => o.Category == c).Select(o => ((int, int)?)(o.Start, o.Length)).LastOrDefault()
                ?? (c == TagCategory.Instrument && names.All(n => _vocabulary.Find(n)?.Category == TagCategory.Vocals) ? outMentions.Where(o => o.Category == TagCategory.Vocals).Select(o => ((int, int)?)(o.Start, o.Length)).LastOrDefault() : null);
            if (anchor is { } an)
            {
                // "guitar, bass and drums" + piano -> "guitar, bass, drums and piano"; "a sad song" + slow -> "a sad and slow song"
                int endPos = an.Item1 + an.Item2;
                string before = result[..an.Item1];
                var and = Regex.Match(before, @"\s(and|&)\s+$");
                if (and.Success) before = before[..and.Index] + ", ";
                string insertion = (names.Count == 1 ? " and " : ", ") + English.List(names);
                string rest = Regex.Replace(result[endPos..], @"^(\s+)is\b", "$1are"); // "guitar is" -> "guitar and piano are"
                result = before + result[an.Item1..endPos] + insertion + rest;
                int shift = before.Length - an.Item1 + insertion.Length;
                outMentions = outMentions.Select(o => o.Start >= endPos ? (o.Start + shift, o.Length, o.Category) : o).ToList();
            }
            else added.Add(Sentence(c, names, rng));
        }
        result = Repair(result) + (added.Count > 0 ? " " + string.Join(" ", added.Where(a => a != "There are no vocals.").Concat(added.Where(a => a == "There are no vocals."))) : "");
        int damage = edits.Count(e => e.Replacement is { Length: > 0 } x && (x == DropSentence || IsStandIn(x))) + dropSentence.Count(d => d);
        // words of A' that B's tags do not support ("bagpipe", "church", "prayer") go too
        var (supported, unsupportedDamage) = UnsupportedPhrases.Remove(result, b, _vocabulary);
        // a dropped sentence may have carried some of B's attributes: they come back in short sentences
        var still = _vocabulary.MentionedAttributes(supported);
        var lost = b.Attributes.Where(x => !still.Any(m => _vocabulary.Related(x, m))).ToList();
        var back = new List<string>();
        foreach (var c in new[] { TagCategory.Genre, TagCategory.Mood, TagCategory.Instrument })
        {
            var names = lost.Where(x => c == TagCategory.Instrument ? x.Category is TagCategory.Instrument or TagCategory.Vocals && !IsInstrumental(x)
                : x.Category == c).Select(x => x.Name).ToList();
            if (names.Count > 0) back.Add(Sentence(c, names, rng));
        }
        if (lost.Any(IsInstrumental)) back.Add("There are no vocals.");
        if (back.Count > 0) supported = (supported + " " + string.Join(" ", back)).Trim();
        return (English.Tidy(supported), damage + unsupportedDamage + back.Count);
    }

    static bool IsInstrumental(MusicAttribute? a) => a?.Name == "instrumental";

    bool IsAncestor(MusicAttribute ancestor, MusicAttribute of)
    {
        for (var p = of.Parent; p != null; p = _vocabulary.Find(p)?.Parent) if (p == ancestor.Name) return true;
        return false;
    }

    /// <summary>What follows a phrase that heads its noun phrase: punctuation, the end, or a function word.</summary>
    static readonly Regex HeadEnd = new(@"^\s*(?:$|[.,;:!?)]|(?:that|which|who|with|by|in|on|from|for|is|are|was|were|has|have|plays?|playing|can|will|at|of|to)\b)",
        RegexOptions.IgnoreCase | RegexOptions.Compiled);

    /// <summary>Marks a sentence that must go whole (a negated attribute B lacks: "there are no drums").</summary>
    const string DropSentence = "\u0002";

    static string HeadFallback(string source, Mention m, string original)
    {
        string after = source[(m.Start + m.Length)..];
        string before = source[..m.Start].TrimEnd();
        if (Regex.IsMatch(before, @"\b(no|without|not|never)$", RegexOptions.IgnoreCase)) return DropSentence;
        if (m.Attribute.Category == TagCategory.Mood || !HeadEnd.IsMatch(after)) return "";
        if (Regex.IsMatch(before, @"(,|\band|\bor|&|/)$", RegexOptions.IgnoreCase)) return ""; // an item of a list
        string head = m.Attribute.Category switch
        {
            TagCategory.Genre => Regex.IsMatch(before, @"\b(a|an|one)$", RegexOptions.IgnoreCase) ? "song" : "music",
            TagCategory.Vocals => DropSentence,
            _ => original.EndsWith('s') ? "instruments" : "instrument",
        };
        return char.IsUpper(original[0]) ? English.Capitalise(head) : head;
    }

    static void Shuffle(List<MusicAttribute> list, Random rng) => rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));

    static string Sentence(TagCategory c, IReadOnlyList<string> names, Random rng)
    {
        string l = English.List(names);
        return c switch
        {
            TagCategory.Genre => rng.Pick(new[] { $"It has {English.WithArticle(l)} style.", $"The style is {l}.", $"It is {l} music." }),
            TagCategory.Mood => rng.Pick(new[] { $"It sounds {l}.", $"The mood is {l}.", $"It feels {l}." }),
            _ => rng.Pick(new[] { $"It features {l}.", $"You can hear {l}.", $"{English.Capitalise(l)} can be heard too." }),
        };
    }

    /// <summary>The replacement as the source wrote its phrase: singular where it was singular, capital where capital.</summary>
    static bool IsStandIn(string s) => s.ToLowerInvariant() is "song" or "music" or "voice" or "instrument" or "instruments";

    static string Surface(string original, string name, TagCategory category)
    {
        string r = name;
        bool pluralOriginal = original.EndsWith('s') && !original.EndsWith("ss");
        if (!pluralOriginal && English.IsPlural(r)) r = r[..^1];
        else if (pluralOriginal && category == TagCategory.Instrument && !English.IsPlural(r) && r.Split(' ').Length == 1 && char.IsLetter(r[^1]) && !r.EndsWith('s')) r += "s";
        if (char.IsUpper(original[0])) r = English.Capitalise(r);
        return r;
    }

    static List<(int Start, int End)> SentenceSpans(string text)
    {
        var spans = new List<(int, int)>();
        int start = 0;
        foreach (Match m in SentenceSplit.Matches(text)) { spans.Add((start, m.Index)); start = m.Index + m.Length; }
        spans.Add((start, text.Length));
        return spans;
    }

    /// <summary>Repairs the list glue around removed phrases (marked \u0001) and the articles before changed words.</summary>
    internal static string Repair(string text)
    {
        string t = text;
        t = Regex.Replace(t, @",\s*\u0001\s*(and|&)\s+", " $1 ");          // "x, _ and y" -> "x and y"
        t = Regex.Replace(t, @"\u0001\s*(,|\band\b|&|/)\s*", "");           // "_, y" / "_ and y" -> "y"
        t = Regex.Replace(t, @",\s*([^,.;!?\u0001]+?)\s+(and|&)\s*\u0001", " $2 $1"); // "x, y and _" -> "x and y"
        t = Regex.Replace(t, @"\s*(,|\band\b|&|/)\s*\u0001", "");           // "x and _" / "x, _" -> "x"
        t = t.Replace("\u0001", "");
        // dangling connectors before punctuation or at the start
        for (int i = 0; i < 3; i++)
        {
            t = Regex.Replace(t, @"\s*\b(with|and|featuring|of|by|including|like|a|an|the|backed by|over|plus|or|some)\s*([,.;!?])", "$2", RegexOptions.IgnoreCase);
            t = Regex.Replace(t, @",\s*(and|&)?\s*([.;!?])", "$2");
            t = Regex.Replace(t, @"\b(and|with)\s+(and|with)\b", "$1");
            t = Regex.Replace(t, @"\(\s*\)", "");
            t = Regex.Replace(t, @"\s*(,|\band\b)?\s*\b(it|that|which|this)\s+(sounds|feels|seems)\s*([.!?])", "$4", RegexOptions.IgnoreCase); // "... and it sounds _."
        }
        t = Regex.Replace(t, @"^\s*[,;]\s*", "");
        t = Regex.Replace(t, @"\s+([,.;!?])", "$1");
        t = Regex.Replace(t, @"\s{2,}", " ");
        // a/an agreement with the next word
        t = Regex.Replace(t, @"\b([Aa]n?) ([A-Za-z&][\w&-]*)", m =>
        {
            string art = English.Article(m.Groups[2].Value);
            if (char.IsUpper(m.Groups[1].Value[0])) art = English.Capitalise(art);
            return $"{art} {m.Groups[2].Value}";
        });
        return t.Trim();
    }
}
