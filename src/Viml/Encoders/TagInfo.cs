namespace Viml.Encoders;

/// <summary>
/// A tag a music tagger predicts: the model it comes from, its category (genre, mood, instrument, ...) and its
/// name. Feature stores and catalogs keep it by its full name, <c>model:category:name</c> ("msd:genre:rock").
/// </summary>
public sealed record TagInfo(string Model, string Category, string Name)
{
    /// <summary><c>model:category:name</c>.</summary>
    public string FullName => $"{Model}:{Category}:{Name}";

    /// <summary>The tag of a full name; missing parts are empty ("rock" is a tag of no model and no category).</summary>
    public static TagInfo Parse(string fullName)
    {
        var parts = fullName.Split(':', 3);
        return new TagInfo(parts[0], parts.ElementAtOrDefault(1) ?? "", parts.ElementAtOrDefault(2) ?? "");
    }

    /// <summary>The tag's own name, after the last colon of a full name ("msd:genre:rock" gives "rock").</summary>
    public static string NameOf(string fullName) => fullName[(fullName.LastIndexOf(':') + 1)..];
}
