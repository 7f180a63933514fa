using System.Text.RegularExpressions;
using Viml.IO;

namespace Viml.Text;

/// <summary>A real human description paired with tags (the method's (d_i, t_i) few-shot examples).
/// <paramref name="HeldOut"/>: reserved for measuring (never used as an example).</summary>
public sealed record HumanExample(string Id, string Source, TagSet Tags, string Text, bool HeldOut = false);

/// <summary>Which human examples to load.</summary>
public enum ExampleSet { All, MusicCaps, MusicTextClips }

/// <summary>
/// Loads human descriptions with tags in the vocabulary:
/// MusicCaps aspect lists are mapped to attributes through the lexicon (an aspect "soft female vocal" gives
/// "female vocals"); YT8M-MusicTextClips has only text, so its tags are the attributes its text mentions (the
/// paper ran its tagger on their audio, which is not reachable here). Neither carries confidences: the n-th tag
/// gets 0.9 - 0.04 n (floor 0.35), annotators listing the salient aspects first.
/// Examples that are not English are left out (<see cref="LooksEnglish"/>).
/// </summary>
public static class HumanExamples
{
    public static string MusicCapsPath => ProjectPaths.Vendored("data/text/musiccaps-public.csv");
    public static string MusicTextClipsPath => ProjectPaths.Vendored("data/text/yt8m-musictextclips-train.csv");

    static readonly Dictionary<ExampleSet, IReadOnlyList<HumanExample>> _cache = new();

    /// <summary>The examples shipped with Viml (cached).</summary>
    public static IReadOnlyList<HumanExample> Shipped(ExampleSet set = ExampleSet.All)
    {
        lock (_cache)
        {
            if (_cache.TryGetValue(set, out var c)) return c;
            var list = new List<HumanExample>();
            if (set is ExampleSet.All or ExampleSet.MusicTextClips) list.AddRange(LoadMusicTextClips(MusicTextClipsPath).Examples);
            if (set is ExampleSet.All or ExampleSet.MusicCaps) list.AddRange(LoadMusicCaps(MusicCapsPath).Examples);
            return _cache[set] = list;
        }
    }

    /// <summary>Result of reading an examples file: the usable examples and how many rows were left out and why.</summary>
    public sealed record LoadResult(IReadOnlyList<HumanExample> Examples, int NotEnglish, int NoTags);

    static readonly Regex PyString = new(@"'((?:[^'\\]|\\.)*)'|""((?:[^""\\]|\\.)*)""", RegexOptions.Compiled);

    /// <summary>MusicCaps CSV (ytid, start_s, end_s, ..., aspect_list, caption, ..., is_audioset_eval).
    /// Rows of its AudioSet eval split are marked held out.</summary>
    public static LoadResult LoadMusicCaps(string path, TagVocabulary? vocabulary = null)
    {
        var v = vocabulary ?? TagVocabulary.Default;
        var list = new List<HumanExample>();
        int notEnglish = 0, noTags = 0;
        foreach (var row in ReadCsv(path, "ytid", "aspect_list", "caption"))
        {
            string caption = row["caption"].Trim();
            if (!LooksEnglish(caption)) { notEnglish++; continue; }
            var aspects = PyString.Matches(row["aspect_list"]).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
            var tags = TagsFromPhrases(aspects, v);
            if (tags.IsEmpty) { noTags++; continue; }
            bool heldOut = row.TryGetValue("is_audioset_eval", out var e) && e.Equals("True", StringComparison.OrdinalIgnoreCase);
            list.Add(new HumanExample($"musiccaps:{row["ytid"]}", "musiccaps", tags, caption, heldOut));
        }
        return new LoadResult(list, notEnglish, noTags);
    }

    /// <summary>YT8M-MusicTextClips CSV (video_id, start, end, text); tags are the attributes the text mentions.</summary>
    public static LoadResult LoadMusicTextClips(string path, TagVocabulary? vocabulary = null)
    {
        var v = vocabulary ?? TagVocabulary.Default;
        var list = new List<HumanExample>();
        int notEnglish = 0, noTags = 0;
        foreach (var row in ReadCsv(path, "video_id", "text"))
        {
            string text = row["text"].Trim();
            if (!LooksEnglish(text)) { notEnglish++; continue; }
            var tags = TagsFromPhrases(new[] { text }, v);
            if (tags.IsEmpty) { noTags++; continue; }
            string start = row.TryGetValue("start", out var st) ? st : "";
            list.Add(new HumanExample($"yt8m-musictextclips:{row["video_id"]}:{start}", "yt8m-musictextclips", tags, text));
        }
        return new LoadResult(list, notEnglish, noTags);
    }

    /// <summary>Tagger attributes mentioned in the phrases, in order of first mention, confidences falling with rank.</summary>
    public static TagSet TagsFromPhrases(IEnumerable<string> phrases, TagVocabulary vocabulary)
    {
        var order = new List<MusicAttribute>();
        foreach (var p in phrases)
            foreach (var m in vocabulary.FindMentions(p))
                if (m.Attribute.FromTagger && !order.Contains(m.Attribute)) order.Add(m.Attribute);
        var kept = new Dictionary<MusicAttribute, float>();
        for (int i = 0; i < order.Count; i++) kept[order[i]] = MathF.Round(MathF.Max(0.9f - 0.04f * i, 0.35f), 3);
        return TagReader.Tidy(kept, vocabulary);
    }

    static IEnumerable<Dictionary<string, string>> ReadCsv(string path, params string[] required)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: examples file not found");
        string text = File.ReadAllText(path);
        using var rows = ParseCsv(text, path).GetEnumerator();
        if (!rows.MoveNext()) yield break;
        var header = rows.Current;
        foreach (var r in required)
            if (!header.Contains(r)) throw new InvalidInputException($"{path}: not an examples file (no '{r}' column; columns: {string.Join(", ", header)})");
        while (rows.MoveNext())
        {
            var f = rows.Current;
            if (f.Count < header.Count) continue;
            var d = new Dictionary<string, string>(header.Count);
            for (int i = 0; i < header.Count; i++) d[header[i]] = f[i];
            yield return d;
        }
    }

    /// <summary>RFC 4180 records: fields separated by commas, quoted fields may hold commas, newlines and doubled quotes.</summary>
    static IEnumerable<List<string>> ParseCsv(string text, string path)
    {
        var field = new System.Text.StringBuilder();
        var record = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '"' && field.Length == 0)
            {
                int j = i + 1;
                while (true)
                {
                    if (j >= text.Length) throw new InvalidInputException($"{path}: unterminated quoted field");
                    if (text[j] == '"')
                    {
                        if (j + 1 < text.Length && text[j + 1] == '"') { field.Append('"'); j += 2; continue; }
                        break;
                    }
                    field.Append(text[j++]);
                }
                i = j + 1;
                continue;
            }
            if (c == ',') { record.Add(field.ToString()); field.Clear(); i++; continue; }
            if (c == '\r' || c == '\n')
            {
                record.Add(field.ToString()); field.Clear();
                if (record.Count > 1 || record[0].Length > 0) yield return record;
                record = new List<string>();
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                continue;
            }
            field.Append(c);
            i++;
        }
        if (field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); yield return record; }
    }

    static readonly HashSet<string> EnglishFunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "a", "an", "and", "with", "of", "is", "in", "to", "this", "that", "for", "it", "by", "on", "song", "music", "track",
    };

    /// <summary>A cheap test that a text is English: almost only Latin letters, and some common English words.</summary>
    public static bool LooksEnglish(string text)
    {
        int letters = 0, latin = 0;
        foreach (char c in text)
            if (char.IsLetter(c)) { letters++; if (c < 128) latin++; }
        if (letters < 3 || latin < 0.95 * letters) return false;
        var words = Regex.Matches(text, @"[A-Za-z']+").Select(m => m.Value).ToList();
        int hits = words.Count(w => EnglishFunctionWords.Contains(w));
        return words.Count <= 3 ? hits >= 1 || words.Count > 0 && words.All(w => w.Length > 2) : hits >= 1 && hits >= 0.05 * words.Count;
    }
}
