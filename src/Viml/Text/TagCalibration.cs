using System.Globalization;
using Viml.IO;

namespace Viml.Text;

/// <summary>
/// How each tagger's confidences become kept tags, per tagger and per tag: the three musicnn taggers' sigmoids are
/// not calibrated alike (the same tone is "electronic" 0.76 to one and 0.2 to another), so a tag is kept when its
/// column reaches its own threshold (<c>tag_thresholds.tsv</c>, chosen on rendered music of known style and on
/// generated speech and noise, docs/music.md), and a genre that two or more taggers can name is kept only when at
/// least two of them name it (a vote by category). Columns without a fitted threshold use the reader's threshold.
/// </summary>
public sealed class TagCalibration
{
    readonly Dictionary<(string Model, string Tag), double> _thresholds;

    public TagCalibration(IReadOnlyDictionary<(string Model, string Tag), double> thresholds, int genreVotes)
    {
        foreach (var (key, t) in thresholds)
            if (!(t > 0 && t <= 1)) throw new ConfigException($"tag threshold {key.Model}:{key.Tag} = {t} must lie in (0, 1]");
        if (genreVotes < 1) throw new ConfigException($"genre votes {genreVotes} must be at least 1");
        _thresholds = thresholds.ToDictionary(kv => kv.Key, kv => kv.Value);
        GenreVotes = genreVotes;
    }

    /// <summary>No per-tag thresholds and no vote: every column at the reader's threshold (the paper's rule).</summary>
    public static TagCalibration None { get; } = new(new Dictionary<(string, string), double>(), 1);

    /// <summary>The thresholds and vote shipped with Viml.</summary>
    public static TagCalibration Shipped => _shipped.Value;

    static readonly Lazy<TagCalibration> _shipped = new(() => Parse(EmbeddedFile.ReadAllText("tag_thresholds.tsv")));

    /// <summary>Taggers that must agree on a genre that at least that many of them can name.</summary>
    public int GenreVotes { get; }

    public IReadOnlyDictionary<(string Model, string Tag), double> Thresholds => _thresholds;

    /// <summary>The column's own threshold, or null when none was fitted.</summary>
    public double? ThresholdOf(string model, string tag) => _thresholds.TryGetValue((model, tag), out var t) ? t : null;

    /// <summary>Reads <c>model\ttag\tthreshold</c> rows after a header; a <c># genre_votes N</c> line sets the vote.</summary>
    public static TagCalibration Parse(string tsv)
    {
        var thresholds = new Dictionary<(string, string), double>();
        int votes = 1;
        bool header = true;
        foreach (var raw in tsv.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("# genre_votes ", StringComparison.Ordinal)) { votes = int.Parse(line[14..], CultureInfo.InvariantCulture); continue; }
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (header) { header = false; continue; }
            var f = line.Split('\t');
            if (f.Length < 3 || !double.TryParse(f[2], CultureInfo.InvariantCulture, out var t))
                throw new ConfigException($"tag thresholds: malformed row '{line}'");
            thresholds[(f[0], f[1])] = t;
        }
        return new TagCalibration(thresholds, votes);
    }

    public string ToTsv(string comment) =>
        string.Join("\n", comment.Split('\n').Select(l => "# " + l)
            .Append($"# genre_votes {GenreVotes}")
            .Append("model\ttag\tthreshold")
            .Concat(_thresholds.OrderBy(kv => kv.Key.Model, StringComparer.Ordinal).ThenBy(kv => kv.Key.Tag, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key.Model}\t{kv.Key.Tag}\t{kv.Value.ToString("0.###", CultureInfo.InvariantCulture)}"))) + "\n";
}
