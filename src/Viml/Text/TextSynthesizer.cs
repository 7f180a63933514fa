namespace Viml.Text;

/// <summary>The method's generator G: turns the kept tags of a clip or track into one description t = G(d).</summary>
public interface ITextSynthesizer
{
    /// <summary>Approach name as used on the command line and in <c>texts/&lt;name&gt;.jsonl</c>.</summary>
    string Name { get; }

    /// <summary>One description of a non-empty tag set; <paramref name="rng"/> makes the choice reproducible.</summary>
    string Describe(TagSet tags, Random rng);
}

/// <summary>Approach 1 (<c>tags</c>): the kept tags shuffled and joined with ", ".</summary>
public sealed class TagsSynthesizer : ITextSynthesizer
{
    public string Name => "tags";

    public string Describe(TagSet tags, Random rng)
    {
        var names = tags.Attributes.Select(a => a.Name).ToArray();
        rng.Shuffle(names);
        return string.Join(", ", names);
    }
}

/// <summary>Small English helpers shared by the rule-based writers.</summary>
internal static class English
{
    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string List(IReadOnlyList<string> items, string conjunction = "and") => items.Count switch
    {
        0 => "",
        1 => items[0],
        2 => $"{items[0]} {conjunction} {items[1]}",
        _ => string.Join(", ", items.Take(items.Count - 1)) + $" {conjunction} " + items[^1],
    };

    /// <summary>The indefinite article for a following word.</summary>
    public static string Article(string next)
    {
        if (next.Length == 0) return "a";
        string w = next.ToLowerInvariant();
        if (w.StartsWith("uni") || w.StartsWith("eu") || w.StartsWith("one") || w.StartsWith("use")) return "a";
        if (w.StartsWith("r&b") || w.StartsWith("edm") || w.StartsWith("hour")) return "an";
        return "aeiou".Contains(w[0]) ? "an" : "a";
    }

    public static string WithArticle(string phrase) => $"{Article(phrase)} {phrase}";

    public static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>Capitalises each sentence start and tidies spaces around punctuation.</summary>
    public static string Tidy(string text)
    {
        var t = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
        t = System.Text.RegularExpressions.Regex.Replace(t, @"\s+([,.;!?])", "$1");
        t = System.Text.RegularExpressions.Regex.Replace(t, @",\s*,+", ",");
        t = System.Text.RegularExpressions.Regex.Replace(t, @"(^|[.!?])(\s*[.,;!?])+", "$1").Trim(); // empty sentences
        t = System.Text.RegularExpressions.Regex.Replace(t, @"([.!?])\s*([a-z])", m => m.Groups[1].Value + " " + char.ToUpperInvariant(m.Groups[2].Value[0]));
        t = Capitalise(t);
        if (t.Length > 0 && !".!?".Contains(t[^1])) t += ".";
        return t;
    }

    /// <summary>True when the attribute name is grammatically plural ("drums", "female vocals", "strings").</summary>
    public static bool IsPlural(string name) => name.EndsWith('s') && !name.EndsWith("ss") && name != "blues";

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}
