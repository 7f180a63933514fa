namespace Viml.Text;

/// <summary>
/// Approach 2 (<c>data2text</c>): one template sentence per category, chosen at random and filled with the kept tags
/// (Figure 2, top right), then the three steps of the Zero-shot D2T pipeline done by rules instead of RoBERTa/BART:
/// <b>ordering</b> (genre first, the subject; instruments and mood after, in random order), <b>aggregation</b>
/// (sentences about the same subject are merged: genre + instruments, genre + mood, or all three), and
/// <b>compression</b> (the merged facts are written as one noun phrase, "a relaxing folk song with acoustic guitar",
/// repeated subjects become "it"). Every kept tag is written once.
/// </summary>
public sealed class DataToTextSynthesizer : ITextSynthesizer
{
    public string Name => "data2text";

    // Step 1: template sentences per category ({0} = the tags as an English list).
    static readonly string[] GenreTemplates =
    {
        "This is {0} music.", "This song is {0}.", "The genre of this music is {0}.", "This sounds like {0} music.", "This is some {0} music.",
    };
    static readonly string[] MoodTemplates =
    {
        "The music gives {a} {0} vibe.", "The mood is {0}.", "This music sounds {0}.", "The feeling is {0}.", "The music has {a} {0} feel.",
    };
    static readonly string[] InstrumentTemplates =
    {
        "The track has {0}.", "{0} {are} playing in this song.", "The instrumentation includes {0}.", "This song features {0}.", "You can hear {0}.",
    };
    static readonly string[] InstrumentalTemplates = { "There are no vocals.", "It is an instrumental piece.", "The piece is instrumental." };

    static readonly string[] Nouns = { "track", "song", "piece", "tune" };

    /// <summary>Probability of each rewriting depth: separate template sentences, two merged, all merged.</summary>
    public (double Separate, double Partial) Mix { get; init; } = (0.25, 0.35);

    public string Describe(TagSet tags, Random rng)
    {
        if (tags.IsEmpty) throw new InvalidInputException("data2text: the tag set is empty, there is nothing to describe");
        var genres = tags.Of(TagCategory.Genre).Select(t => t.Attribute.Name).ToList();
        var moods = tags.Of(TagCategory.Mood).Select(t => t.Attribute.Name).ToList();
        bool instrumental = tags.Attributes.Any(a => a.Name == "instrumental");
        var instruments = tags.InstrumentsAndVocals.Select(t => t.Attribute.Name).Where(n => n != "instrumental").ToList();
        // Randomised order inside each category, as a tagger's confidences are not a reading order.
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(moods));
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(instruments));

        double u = rng.NextDouble();
        string text = u < Mix.Separate || genres.Count + moods.Count == 0
            ? Separate(genres, moods, instruments, instrumental, rng)
            : (u < Mix.Separate + Mix.Partial ? Partial(genres, moods, instruments, rng) : Full(genres, moods, instruments, rng))
              + (instrumental ? " " + rng.Pick(InstrumentalTemplates) : "");
        return English.Tidy(text);
    }

    static string Fill(string template, IReadOnlyList<string> items)
    {
        string list = English.List(items);
        return template.Replace("{a}", English.Article(list)).Replace("{are}", items.Count == 1 && !English.IsPlural(items[0]) ? "is" : "are")
            .Replace("{0}", list);
    }

    // Only steps 1 and 2: one filled template per category, genre first.
    static string Separate(List<string> g, List<string> m, List<string> i, bool instrumental, Random rng)
    {
        var rest = new List<string>();
        if (i.Count > 0) rest.Add(Fill(rng.Pick(InstrumentTemplates), i));
        if (m.Count > 0) rest.Add(Fill(rng.Pick(MoodTemplates), m));
        if (rng.Next(2) == 0) rest.Reverse();
        var all = new List<string>();
        if (g.Count > 0) all.Add(Fill(rng.Pick(GenreTemplates), g));
        all.AddRange(rest);
        if (instrumental) all.Add(rng.Pick(InstrumentalTemplates));
        return string.Join(" ", all);
    }

    // Two facts share the subject and are merged; the third stays its own sentence (subject "it").
    static string Partial(List<string> g, List<string> m, List<string> i, Random rng)
    {
        string noun = rng.Pick(Nouns);
        if (g.Count > 0 && i.Count > 0 && (m.Count == 0 || rng.Next(2) == 0))
        {
            string head = rng.Next(2) == 0
                ? $"This is {English.WithArticle($"{English.List(g)} {noun}")} featuring {English.List(i)}."
                : $"This is {English.List(g)} music with {English.List(i)}.";
            string tail = m.Count == 0 ? "" : rng.Pick(new[] { $" It sounds {English.List(m)}.", $" The mood is {English.List(m)}.", $" It has {English.WithArticle(English.List(m))} feel." });
            return head + tail;
        }
        string np = string.Join(" ", new[] { English.List(m), English.List(g), noun }.Where(s => s.Trim().Length > 0).Select(s => s.Trim()));
        string first = $"This is {English.WithArticle(np)}.";
        string second = i.Count == 0 ? "" : rng.Pick(new[] { $" It features {English.List(i)}.", $" The instrumentation includes {English.List(i)}.", $" You can hear {English.List(i)}." });
        return first + second;
    }

    // All facts in one compressed sentence.
    static string Full(List<string> g, List<string> m, List<string> i, Random rng)
    {
        string noun = rng.Pick(Nouns);
        string gl = English.List(g), ml = English.List(m), il = English.List(i);
        var options = new List<string>();
        string adjectives = string.Join(" ", new[] { ml, gl }.Where(s => s.Trim().Length > 0)).Trim();
        options.Add(English.Capitalise(English.WithArticle($"{adjectives} {noun}")) + (i.Count > 0 ? $" with {il}." : "."));
        if (g.Count > 0)
        {
            string s = $"This is {gl} music";
            if (i.Count > 0) s += $" with {il}";
            if (m.Count > 0) s += i.Count > 0 ? $" giving {English.WithArticle(ml)} feel" : $" with {English.WithArticle(ml)} mood";
            options.Add(s + ".");
        }
        if (g.Count > 0 && i.Count > 0 && m.Count > 0)
            options.Add($"{English.Capitalise(English.WithArticle($"{gl} {noun}"))} featuring {il}, with {English.WithArticle(ml)} mood.");
        return rng.Pick(options);
    }
}
