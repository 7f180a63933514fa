using Viml.Text;

namespace Viml.Bench;

/// <summary>
/// MusicCaps captions (CC BY-SA 4.0, data/text/) whose aspects name exactly one of the demo's six styles, with that
/// style; <c>Test</c> marks MusicCaps' AudioSet eval split, the rest is the validation split.
/// </summary>
static class CaptionStyles
{
    /// <summary>The style a MusicCaps caption's aspects name, by the attributes they map to.</summary>
    static readonly (string Style, string[] Attributes)[] StyleAttributes =
    {
        ("rock", ["rock"]), ("techno", ["electronic", "techno"]), ("strings", ["classical"]),
        ("folk", ["folk"]), ("jazz", ["jazz"]),
    };

    public static IReadOnlyList<(string Text, string Style, bool Test)> Queries()
    {
        var v = TagVocabulary.Default;
        var examples = HumanExamples.LoadMusicCaps(HumanExamples.MusicCapsPath).Examples;
        var queries = new List<(string Text, string Style, bool Test)>();
        foreach (var e in examples)
        {
            var styles = StyleAttributes.Where(s => s.Attributes.Any(a => e.Tags.Attributes.Any(t => v.Related(t, v.Get(a)))))
                .Select(s => s.Style).ToList();
            bool ballad = e.Tags.Attributes.Any(t => t.Name == "piano") && e.Tags.Attributes.Any(t => t.Name == "sad")
                && !e.Tags.Of(TagCategory.Genre).Any();
            if (ballad) styles.Add("piano-ballad");
            if (styles.Count == 1) queries.Add((e.Text, styles[0], e.HeldOut));
        }
        return queries;
    }
}
