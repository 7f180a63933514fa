using System.Text.RegularExpressions;
using Viml.Encoders;
using Viml.IO;

namespace Viml.Text;

/// <summary>The three categories of the method's tag vocabulary, plus vocals (which the paper lists with instruments).</summary>
public enum TagCategory { Genre, Mood, Instrument, Vocals }

/// <summary>A musical attribute of the vocabulary ("hip-hop", "relaxing", "electric guitar", "female vocals").
/// <paramref name="Parent"/> is a broader attribute ("guitar" for "electric guitar"), or null.
/// <paramref name="FromTagger"/>: one of the taggers can predict it (the others are known only to read text).</summary>
public sealed record MusicAttribute(string Name, TagCategory Category, string? Parent, bool FromTagger)
{
    public override string ToString() => Name;
}

/// <summary>Where an attribute is written in a text.</summary>
public readonly record struct Mention(int Start, int Length, MusicAttribute Attribute);

/// <summary>
/// The merged tag vocabulary of the three musicnn taggers (<c>tag_vocabulary.tsv</c>: tagger tag -> attribute,
/// synonyms joined, eras and non-musical tags dropped) and the lexicon that finds attributes in free text
/// (<c>attribute_lexicon.tsv</c>). Both files are embedded in the assembly; see docs/text.md for the table.
/// </summary>
public sealed class TagVocabulary
{
    readonly Dictionary<(string Model, string Tag), MusicAttribute?> _tagger = new();
    readonly Dictionary<string, MusicAttribute> _attributes = new(StringComparer.Ordinal);

    public IReadOnlyCollection<MusicAttribute> Attributes => _attributes.Values;

    /// <summary>The attributes the taggers can predict, in table order.</summary>
    public IReadOnlyList<MusicAttribute> TaggerAttributes { get; }

    /// <summary>Rows of the tagger table: (model, tag, attribute or null when dropped, note).</summary>
    public IReadOnlyList<(string Model, string Tag, MusicAttribute? Attribute, string Note)> TaggerTable { get; }

    static readonly Lazy<TagVocabulary> _default = new(() => new TagVocabulary(EmbeddedFile.ReadAllText("tag_vocabulary.tsv"), EmbeddedFile.ReadAllText("attribute_lexicon.tsv")));

    /// <summary>The vocabulary shipped with Viml.</summary>
    public static TagVocabulary Default => _default.Value;

    static IEnumerable<string[]> Rows(string tsv) => tsv.Split('\n')
        .Select(l => l.TrimEnd('\r'))
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Skip(1) // header
        .Select(l => l.Split('\t'));

    public static TagCategory ParseCategory(string s) => s switch
    {
        "genre" => TagCategory.Genre,
        "mood" => TagCategory.Mood,
        "instrument" => TagCategory.Instrument,
        "vocals" => TagCategory.Vocals,
        _ => throw new ConfigException($"unknown tag category '{s}' (genre, mood, instrument, vocals)"),
    };

    public TagVocabulary(string taggerTsv, string lexiconTsv)
    {
        var taggerNames = new HashSet<string>(Rows(taggerTsv).Where(r => r[3] != "drop").Select(r => r[2]));
        var phrases = new List<(string Phrase, MusicAttribute Attribute)>();
        foreach (var r in Rows(lexiconTsv))
        {
            if (r.Length < 4) throw new ConfigException($"attribute lexicon: malformed row '{string.Join('\t', r)}'");
            var cat = ParseCategory(r[1]);
            var a = new MusicAttribute(r[0], cat, r[2].Length == 0 ? null : r[2], taggerNames.Contains(r[0]));
            _attributes.Add(a.Name, a);
            foreach (var p in r[3].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append(a.Name).Distinct())
                phrases.Add((p, a));
        }
        var table = new List<(string, string, MusicAttribute?, string)>();
        foreach (var r in Rows(taggerTsv))
        {
            MusicAttribute? a = null;
            if (r[3] != "drop")
            {
                if (!_attributes.TryGetValue(r[2], out a)) throw new ConfigException($"tag vocabulary: attribute '{r[2]}' is missing from the lexicon");
                if (a.Category != ParseCategory(r[3])) throw new ConfigException($"tag vocabulary: '{r[2]}' has two categories");
            }
            _tagger[(r[0], r[1])] = a;
            table.Add((r[0], r[1], a, r.Length > 4 ? r[4] : ""));
        }
        TaggerTable = table;
        TaggerAttributes = table.Where(t => t.Item3 != null).Select(t => t.Item3!).Distinct().ToList();

        // Phrases as token sequences: "hip-hop" is "hip hop" (and "hiphop"); instrument and vocals phrases also in the plural.
        foreach (var (phrase, attr) in phrases)
        {
            var tokens = Tokens(phrase).Select(t => t.Text).ToArray();
            if (tokens.Length == 0) continue;
            var variants = new List<string[]> { tokens };
            if (tokens.Length > 1) variants.Add(new[] { string.Concat(tokens) });
            if (attr.Category is TagCategory.Instrument or TagCategory.Vocals)
                foreach (var v in variants.ToList())
                {
                    variants.Add(v[..^1].Append(v[^1] + "s").ToArray());
                    variants.Add(v[..^1].Append(v[^1] + "es").ToArray());
                }
            foreach (var v in variants)
            {
                _phrases.TryAdd(string.Join(' ', v), attr);
                for (int k = 1; k < v.Length; k++) _prefixes.Add(string.Join(' ', v[..k]));
                _maxTokens = Math.Max(_maxTokens, v.Length);
            }
        }
    }

    readonly Dictionary<string, MusicAttribute> _phrases = new(StringComparer.Ordinal);
    readonly HashSet<string> _prefixes = new(StringComparer.Ordinal);
    int _maxTokens;

    static readonly Regex TokenPattern = new(@"[\p{L}\p{N}]+(?:['’&][\p{L}\p{N}]+)*", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    static IEnumerable<(string Text, int Start, int End)> Tokens(string text) =>
        TokenPattern.Matches(text).Select(m => (m.Value.ToLowerInvariant().Replace('’', '\''), m.Index, m.Index + m.Length));

    public MusicAttribute? Find(string name) => _attributes.GetValueOrDefault(name);

    public MusicAttribute Get(string name) => _attributes.TryGetValue(name, out var a) ? a
        : throw new InvalidInputException($"'{name}' is not an attribute of the tag vocabulary");

    /// <summary>Canonical model key of a tagger name as written in a store: msd, mtt or jamendo.</summary>
    public static string NormaliseModel(string model)
    {
        string m = model.Trim().ToLowerInvariant();
        if (m.Contains("jamendo")) return "jamendo";
        if (m.StartsWith("msd")) return "msd";
        if (m.StartsWith("mtt")) return "mtt";
        return m;
    }

    /// <summary>
    /// Resolves a store tag name "&lt;model&gt;:&lt;category&gt;:&lt;tag&gt;" (category ignored: the table decides).
    /// Returns (true, attribute) for a known tag (attribute null when the table drops it), (false, null) when unknown.
    /// </summary>
    public (bool Known, MusicAttribute? Attribute) ResolveTagName(string tagName)
    {
        var parsed = TagInfo.Parse(tagName);
        if (parsed.Model.Length == 0 || !tagName.Contains(':') || tagName.EndsWith(':')) return (false, null);
        string model = NormaliseModel(parsed.Model);
        string tag = TagInfo.NameOf(tagName).Trim().ToLowerInvariant();
        return _tagger.TryGetValue((model, tag), out var a) ? (true, a) : (false, null);
    }

    /// <summary>Attribute mentions in a text, left to right, longest phrase first, never overlapping.
    /// Words are compared case-insensitively; hyphens and spaces between words are alike ("hip-hop", "hip hop").</summary>
    public IReadOnlyList<Mention> FindMentions(string text)
    {
        var tokens = Tokens(text).ToList();
        var list = new List<Mention>();
        var key = new System.Text.StringBuilder();
        for (int i = 0; i < tokens.Count;)
        {
            // Extend the phrase word by word while it is the start of some phrase; keep the longest whole phrase.
            key.Clear();
            int bestN = 0;
            MusicAttribute? best = null;
            for (int n = 1; i + n <= tokens.Count && n <= _maxTokens; n++)
            {
                if (n > 1)
                {
                    if (!OnlySpaceOrHyphen(text, tokens, i + n - 2, 2)) break;
                    key.Append(' ');
                }
                key.Append(tokens[i + n - 1].Text);
                string k = key.ToString();
                if (_phrases.TryGetValue(k, out var a)) { best = a; bestN = n; }
                if (!_prefixes.Contains(k)) break;
            }
            if (best is null) { i++; continue; }
            list.Add(new Mention(tokens[i].Start, tokens[i + bestN - 1].End - tokens[i].Start, best));
            i += bestN;
        }
        return list;
    }

    /// <summary>A phrase spans only words separated by spaces or hyphens (not by a comma or a full stop).</summary>
    static bool OnlySpaceOrHyphen(string text, List<(string Text, int Start, int End)> tokens, int i, int n)
    {
        for (int k = i; k < i + n - 1; k++)
            for (int c = tokens[k].End; c < tokens[k + 1].Start; c++)
                if (!char.IsWhiteSpace(text[c]) && text[c] != '-') return false;
        return true;
    }

    /// <summary>The distinct attributes a text mentions.</summary>
    public IReadOnlySet<MusicAttribute> MentionedAttributes(string text) => FindMentions(text).Select(m => m.Attribute).ToHashSet();

    /// <summary>True when <paramref name="a"/> is <paramref name="b"/> or one is an ancestor of the other.</summary>
    public bool Related(MusicAttribute a, MusicAttribute b)
    {
        if (a == b) return true;
        for (var p = a.Parent; p != null; p = Find(p)?.Parent) if (p == b.Name) return true;
        for (var p = b.Parent; p != null; p = Find(p)?.Parent) if (p == a.Name) return true;
        return false;
    }
}
