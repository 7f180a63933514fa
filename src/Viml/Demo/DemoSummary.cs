using System.Globalization;
using Viml.Synthetic;

namespace Viml.Demo;

/// <summary>Where one music style's catalog tracks landed in a ranking (1-based ranks, best first).</summary>
public sealed record StylePlacement(string Style, IReadOnlyList<int> Ranks)
{
    public double MeanRank => Ranks.Count == 0 ? double.NaN : Ranks.Average();
}

/// <summary>
/// The demo's closing summary, computed from the rankings it actually got: the catalog's tracks ranked for the
/// query video alone and with each sentence. A track's true style is the first word of its file name
/// (<c>jazz 02.ogg</c>). A sentence "moved a style up" when that style's mean rank improved by at least
/// <see cref="Moved"/> places; nothing is claimed below that.
/// </summary>
public static class DemoSummary
{
    /// <summary>Smallest change of a style's mean rank reported as a move.</summary>
    public const double Moved = 1.0;

    /// <summary>The style a demo catalog track was generated in, from its file name; null for another file.</summary>
    public static string? StyleOf(string trackPath)
    {
        string name = Path.GetFileNameWithoutExtension(trackPath);
        int space = name.LastIndexOf(' ');
        string style = space < 0 ? name : name[..space];
        return DemoMusic.Styles.Any(s => s.Name == style) ? style : null;
    }

    /// <summary>Each style's ranks in a full ranking of track paths (best first), styles in order of their best rank.</summary>
    public static IReadOnlyList<StylePlacement> Place(IReadOnlyList<string> rankedPaths) =>
        rankedPaths.Select((p, i) => (Style: StyleOf(p), Rank: i + 1))
            .Where(x => x.Style is not null)
            .GroupBy(x => x.Style!)
            .Select(g => new StylePlacement(g.Key, g.Select(x => x.Rank).ToList()))
            .OrderBy(s => s.Ranks[0])
            .ToList();

    /// <summary>
    /// The summary lines: what the video alone put in the top <paramref name="top"/> and where the query look's
    /// styles landed; then, per sentence, where those styles landed with it and which styles it moved.
    /// </summary>
    public static IReadOnlyList<string> Describe(string look, IReadOnlyList<string> alone,
        IReadOnlyList<(string Text, IReadOnlyList<string> Ranked)> withText, int top)
    {
        var lookStyles = DemoVideo.LookOf.Where(kv => kv.Value == look).Select(kv => kv.Key).OrderBy(s => s).ToList();
        var before = Place(alone);
        int total = alone.Count;
        var lines = new List<string>
        {
            $"The query video is in the {look} look, which {string.Join(" and ", lookStyles)} share. " +
            $"The video alone: top {top} {TopMix(alone, top)}; {Where(before, lookStyles, null)} (ranks of {total}).",
        };
        foreach (var (text, ranked) in withText)
        {
            var after = Place(ranked);
            lines.Add($"With \"{text}\": top {top} {TopMix(ranked, top)}; {Where(after, lookStyles, before)}. {Verdict(text, before, after)}");
        }
        return lines;
    }

    /// <summary>How many tracks of each style the top k holds, e.g. "3 folk, 2 jazz".</summary>
    static string TopMix(IReadOnlyList<string> ranked, int k) =>
        "= " + string.Join(", ", ranked.Take(k).Select(p => StyleOf(p) ?? "other")
            .GroupBy(s => s).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));

    static string Where(IReadOnlyList<StylePlacement> now, IReadOnlyList<string> styles, IReadOnlyList<StylePlacement>? was) =>
        string.Join(", ", styles.Select(style =>
        {
            var p = now.FirstOrDefault(x => x.Style == style);
            if (p is null) return $"no {style} track";
            string ranks = string.Join(" ", p.Ranks);
            var w = was?.FirstOrDefault(x => x.Style == style);
            return w is null ? $"{style} at {ranks}" : $"{style} at {ranks} (was {string.Join(" ", w.Ranks)})";
        }));

    /// <summary>Which styles the sentence moved up or down by at least <see cref="Moved"/> in mean rank.</summary>
    static string Verdict(string text, IReadOnlyList<StylePlacement> before, IReadOnlyList<StylePlacement> after)
    {
        var moves = after.Join(before, a => a.Style, b => b.Style, (a, b) => (a.Style, From: b.MeanRank, To: a.MeanRank))
            .Where(m => Math.Abs(m.To - m.From) >= Moved).ToList();
        string Fmt((string Style, double From, double To) m) =>
            string.Create(CultureInfo.InvariantCulture, $"{m.Style} (mean rank {m.From:0.0} -> {m.To:0.0})");
        var up = moves.Where(m => m.To < m.From).OrderBy(m => m.To - m.From).Select(Fmt).ToList();
        var down = moves.Where(m => m.To > m.From).OrderByDescending(m => m.To - m.From).Select(Fmt).ToList();
        if (up.Count == 0 && down.Count == 0)
            return $"\"{text}\" left the ranking about as it was (no style's mean rank moved by {Moved:0} place or more).";
        var parts = new List<string>();
        if (up.Count > 0) parts.Add("up " + string.Join(", ", up));
        if (down.Count > 0) parts.Add("down " + string.Join(", ", down));
        return $"\"{text}\" moved {string.Join("; ", parts)}.";
    }
}
