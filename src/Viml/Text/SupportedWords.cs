using System.Text.RegularExpressions;

namespace Viml.Text;

/// <summary>
/// Which words of a description its tags support. A content word is supported when it is part of a phrase naming
/// an attribute related to one of the tags (the attribute lexicon's phrases), is a word of a tag's name, or belongs
/// to the neutral vocabulary: function words and the generic words any description of music uses (song, track,
/// melody, rhythm, playing, ...). Every other word ("bagpipe", "church", "prayer", "theremin") is a claim the tags
/// do not make: the report counts it as hallucinated and the analogy approach drops or replaces it.
/// </summary>
public static class SupportedWords
{
    /// <summary>A word of a text, where it is and whether its tags support it.</summary>
    public readonly record struct TextWord(int Start, int Length, string Word, bool Supported);

    static readonly Regex Word = new(@"[\p{L}\p{N}][\p{L}\p{N}'-]*", RegexOptions.Compiled);

    /// <summary>Function words: articles, pronouns, prepositions, conjunctions, auxiliaries, common adverbs.</summary>
    static readonly string FunctionWords = """
        a an the this that these those it its it's itself they them their there here what which who whom whose
        i we you he she his her him our your one ones some any all both each every many much more most few less
        least other another such no not nor never none nothing only also too very so just quite rather really
        still even again then than as at by for from in into of off on onto out over under up down with within
        without through throughout across along alongside around about above below behind beside besides between
        beyond during after before until while when where why how whether if because though although since and
        or but yet plus is are was were be been being am do does did doing done has have had having can could
        will would shall should may might must to like well almost mostly mainly slightly somewhat fairly pretty
        while whilst s 's
        """;

    /// <summary>Generic music words: what any description of a piece says without claiming an attribute.</summary>
    static readonly string MusicWords = """
        song songs track tracks music musical musically sound sounds sounding sounded piece pieces melody melodies
        melodic rhythm rhythms rhythmic beat beats tune tunes tempo notes note chord chords harmony harmonies
        harmonic playing plays play played player players performance performed performs perform performing
        instrument instruments instrumentation instrumental arrangement arranged part parts line lines section
        sections verse chorus intro outro bridge hook riff riffs solo solos groove grooves bass-line loop loops
        repeated repeating repetitive accompanied accompaniment accompanying backing background foreground lead
        main simple steady constant consistent moderate medium tempo pace pitch tone tones tonal key volume
        loud soft quiet low high higher lower fast slow slowly quickly short long time times start starts begins
        ends end feature features featuring featured include includes including contain contains containing
        heard hear hearing listen listening hold holds sung sings sing singing voice voices vocal vocals
        style styles genre genres mood moods feel feels feeling vibe atmosphere overall whole entire throughout
        together layer layers layered mix mixed strong gentle light heavy full rich clear bright warm
        create creates creating gives give giving makes make making set sets carries carrying
        accompanies accompany supported support supports along opening closing ending first second third
        bit little lot way kind sort type typical typically something someone being use uses using used
        ballad two three four five six several couple pair
        """;

    static readonly HashSet<string> Neutral = (FunctionWords + " " + MusicWords)
        .Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>True for a function word or a generic music word (case-insensitive, plural "s" ignored).</summary>
    public static bool IsNeutral(string word)
    {
        string w = word.ToLowerInvariant();
        return Neutral.Contains(w) || (w.EndsWith('s') && Neutral.Contains(w[..^1]));
    }

    /// <summary>True for a function word only (the glue the rewriter must keep around a removed word).</summary>
    public static bool IsFunctionWord(string word) => FunctionWordSet.Contains(word.ToLowerInvariant());

    static readonly HashSet<string> FunctionWordSet = FunctionWords
        .Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every word of <paramref name="text"/> with whether <paramref name="tags"/> (or the neutral vocabulary) support it.</summary>
    public static IReadOnlyList<TextWord> Words(string text, TagSet tags, TagVocabulary? vocabulary = null)
    {
        var v = vocabulary ?? TagVocabulary.Default;
        var supportedSpans = v.FindMentions(text).Where(m => tags.Attributes.Any(k => v.Related(k, m.Attribute)))
            .Select(m => (m.Start, End: m.Start + m.Length)).ToList();
        var tagWords = tags.Attributes.SelectMany(a => Word.Matches(a.Name.ToLowerInvariant()).Select(m => m.Value))
            .ToHashSet(StringComparer.Ordinal);
        var result = new List<TextWord>();
        foreach (Match m in Word.Matches(text))
        {
            string w = m.Value.ToLowerInvariant();
            bool supported = IsNeutral(w) || tagWords.Contains(w) || (w.EndsWith('s') && tagWords.Contains(w[..^1]))
                || supportedSpans.Any(s => m.Index >= s.Start && m.Index < s.End);
            result.Add(new TextWord(m.Index, m.Length, m.Value, supported));
        }
        return result;
    }

    /// <summary>The content words of <paramref name="text"/> that neither the tags nor the neutral vocabulary support.</summary>
    public static IReadOnlyList<string> Unsupported(string text, TagSet tags, TagVocabulary? vocabulary = null) =>
        Words(text, tags, vocabulary).Where(w => !w.Supported).Select(w => w.Word).ToList();

    /// <summary>Unsupported words over content words (words outside the function-word list); 0 for a text without any.</summary>
    public static double UnsupportedShare(string text, TagSet tags, TagVocabulary? vocabulary = null)
    {
        var content = Words(text, tags, vocabulary).Where(w => !IsFunctionWord(w.Word)).ToList();
        return content.Count == 0 ? 0 : content.Count(w => !w.Supported) / (double)content.Count;
    }
}
