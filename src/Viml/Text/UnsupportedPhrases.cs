using System.Text;
using System.Text.RegularExpressions;

namespace Viml.Text;

/// <summary>
/// Takes out of a rewritten description the words its tags do not support (<see cref="SupportedWords"/>), phrase by
/// phrase (a run of such words): a modifier ("a bagpipe melody", "jazz church music") goes alone, a list item
/// ("violin, a theremin and drums") with its list glue, a prepositional phrase ("in a church") with its preposition;
/// a sentence that rests on one ("It sounds like an Arabic prayer.") is dropped, and when every sentence would go,
/// such a phrase becomes "sound" instead. The damage counts dropped sentences and stand-ins.
/// </summary>
internal static class UnsupportedPhrases
{
    static readonly Regex SentenceSplit = new(@"(?<=[.!?])\s+(?=[A-Z])", RegexOptions.Compiled);
    const string Article = @"(?:(?:a|an|the|some)\s+)?";
    static readonly Regex ListGlueBefore = new(@"(?:,|\band|\bor|&|/)\s*(" + Article + @")$", RegexOptions.IgnoreCase | RegexOptions.Compiled);
    static readonly Regex ListGlueAfter = new(@"^\s*(,|and\b|or\b|&|/)", RegexOptions.IgnoreCase | RegexOptions.Compiled);
    static readonly Regex Preposition = new(@"\b(?:in|inside|at|from|on|during|within|for|of|with|without|by|into|over|under)\s+" + Article + "$",
        RegexOptions.IgnoreCase | RegexOptions.Compiled);
    static readonly Regex NextWord = new(@"^[\s-]+([\p{L}\p{N}][\p{L}\p{N}'-]*)", RegexOptions.Compiled);

    enum Role { Modifier, ListItem, Phrase, Head }

    /// <summary>A run of unsupported words: the span to remove and what the run is to its sentence.</summary>
    readonly record struct Edit(int Start, int End, Role Role, string LastWord);

    public static (string Text, int Damage) Remove(string text, TagSet tags, TagVocabulary vocabulary)
    {
        var sentences = SentenceSplit.Split(text.Trim()).Where(s => s.Length > 0).ToList();
        var plans = sentences.Select(s => Plan(s, tags, vocabulary)).ToList();
        bool allHeads = plans.All(p => p.Any(x => x.Role == Role.Head));
        var kept = new List<string>();
        int damage = 0;
        for (int i = 0; i < sentences.Count; i++)
        {
            var plan = plans[i];
            if (plan.Count == 0) { kept.Add(sentences[i]); continue; }
            if (plan.Any(x => x.Role == Role.Head) && !allHeads) { damage++; continue; }
            var sb = new StringBuilder();
            int pos = 0;
            foreach (var e in plan)
            {
                sb.Append(sentences[i], pos, e.Start - pos);
                if (e.Role == Role.ListItem) sb.Append('\u0001');
                else if (e.Role == Role.Head)
                {
                    damage++;
                    string stand = e.LastWord.EndsWith('s') && !e.LastWord.EndsWith("ss") ? "sounds" : "sound";
                    sb.Append(char.IsUpper(sentences[i][e.Start]) ? English.Capitalise(stand) : stand);
                }
                pos = e.End;
            }
            sb.Append(sentences[i], pos, sentences[i].Length - pos);
            kept.Add(sb.ToString());
        }
        return (AnalogySynthesizer.Repair(string.Join(" ", kept)), damage);
    }

    /// <summary>The runs of unsupported words of a sentence and what each one is to it.</summary>
    static List<Edit> Plan(string sentence, TagSet tags, TagVocabulary vocabulary)
    {
        var words = SupportedWords.Words(sentence, tags, vocabulary);
        var plan = new List<Edit>();
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i].Supported) continue;
            int j = i; // extend the run over unsupported words joined by spaces or hyphens
            while (j + 1 < words.Count && !words[j + 1].Supported
                   && sentence[(words[j].Start + words[j].Length)..words[j + 1].Start].All(c => c is ' ' or '-')) j++;
            int start = words[i].Start, end = words[j].Start + words[j].Length;
            string before = sentence[..start], after = sentence[end..];
            var next = NextWord.Match(after);
            Match m;
            Edit edit;
            if (next.Success && !SupportedWords.IsFunctionWord(next.Groups[1].Value))
                edit = new(start, end + next.Index + next.Length - next.Groups[1].Length, Role.Modifier, words[j].Word);
            else if ((m = ListGlueBefore.Match(before)).Success || ListGlueAfter.IsMatch(after))
                edit = new(m.Success ? m.Groups[1].Index : start, end, Role.ListItem, words[j].Word);
            else if ((m = Preposition.Match(before)).Success)
                edit = new(m.Index, end, Role.Phrase, words[j].Word);
            else
                edit = new(start, end, Role.Head, words[j].Word);
            if (plan.Count > 0 && edit.Start < plan[^1].End) edit = edit with { Start = plan[^1].End };
            plan.Add(edit);
            i = j;
        }
        return plan;
    }
}
