using System.Text.RegularExpressions;
using Viml.Text;

namespace Viml.Catalog;

/// <summary>
/// A sentence read for the words-alone search: the attributes it asks for, those it rules out ("no vocals" is the
/// attribute instrumental; "without drums", "not sad", "no guitar or bass" rule drums, sad, guitar and bass out),
/// and the text left for the sentence encoder once the ruled-out phrases are cut (a sentence encoder reads
/// "no drums" as being about drums). A negation reaches from its word ("no", "not", "without", "never", "isn't", ...)
/// to the end of the clause: a punctuation mark or "but" / "with" / "yet".
/// </summary>
public sealed record WordQuery(string Text, string EmbeddingText, IReadOnlyList<MusicAttribute> Wanted, IReadOnlyList<MusicAttribute> Unwanted)
{
    static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
        { "no", "not", "without", "non", "never", "nor", "avoid", "minus", "lacking", "except", "excluding", "zero", "nothing" };
    static readonly HashSet<string> ClauseBreaks = new(StringComparer.Ordinal) { "but", "with", "yet", "though", "although", "while" };
    static readonly Regex Token = new(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[.,;:!?()]", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public bool IsEmpty => Wanted.Count == 0 && Unwanted.Count == 0 && !HasWords;

    /// <summary>True when something is left for the sentence encoder after the ruled-out phrases are cut.</summary>
    public bool HasWords => EmbeddingText.Any(char.IsLetterOrDigit);

    public static WordQuery Parse(string text, TagVocabulary? vocabulary = null)
    {
        var v = vocabulary ?? TagVocabulary.Default;
        text = text.Trim();
        var mentions = v.FindMentions(text);
        var tokens = Token.Matches(text).ToList();
        // Negation scopes as character spans [start, end).
        var scopes = new List<(int Start, int End)>();
        for (int i = 0; i < tokens.Count; i++)
        {
            string w = tokens[i].Value.ToLowerInvariant().Replace('’', '\'');
            bool negator = Negators.Contains(w) || w.EndsWith("n't");
            if (!negator || mentions.Any(m => m.Start == tokens[i].Index)) continue;   // "no vocals" is a phrase of its own
            int j = i + 1;
            while (j < tokens.Count && !IsBreak(tokens[j].Value)) j++;
            int end = j < tokens.Count ? tokens[j].Index : text.Length;
            scopes.Add((tokens[i].Index, end));
            i = j - 1;
        }
        bool Negated(Mention m) => scopes.Any(s => m.Start >= s.Start && m.Start < s.End);
        var unwanted = mentions.Where(Negated).Select(m => m.Attribute).Distinct().ToList();
        var wanted = mentions.Where(m => !Negated(m)).Select(m => m.Attribute).Where(a => !unwanted.Contains(a)).Distinct().ToList();
        var kept = new System.Text.StringBuilder();
        int at = 0;
        foreach (var (s, e) in scopes) { kept.Append(text, at, s - at).Append(' '); at = e; }
        kept.Append(text, at, text.Length - at);
        string embed = Regex.Replace(kept.ToString(), @"\s+", " ").Trim();
        return new WordQuery(text, embed, wanted, unwanted);
    }

    static bool IsBreak(string token) => token.Length == 1 && ".,;:!?()".Contains(token[0]) || ClauseBreaks.Contains(token.ToLowerInvariant());
}
