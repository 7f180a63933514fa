using System.Text;
using System.Text.Json;
using Viml.IO;

namespace Viml.Features.YouTube8M;

/// <summary>
/// YouTube-8M's <c>vocabulary.csv</c> (columns include <c>Index</c> and <c>Name</c>; quoted fields may hold
/// commas): label id to name, e.g. to filter by "Music video" and to turn labels into texts.
/// </summary>
public sealed class Yt8mVocabulary
{
    public IReadOnlyDictionary<long, string> Names { get; }

    Yt8mVocabulary(Dictionary<long, string> names) => Names = names;

    public static Yt8mVocabulary Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: no such vocabulary file");
        var rows = ParseCsv(File.ReadAllText(path)).ToList();
        if (rows.Count == 0) throw new InvalidInputException($"{path}: empty vocabulary");
        int index = rows[0].FindIndex(h => h.Trim() == "Index"), name = rows[0].FindIndex(h => h.Trim() == "Name");
        if (index < 0 || name < 0) throw new InvalidInputException($"{path}: not a YouTube-8M vocabulary (needs columns Index and Name; found {string.Join(", ", rows[0])})");
        var names = new Dictionary<long, string>();
        for (int r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Count == 1 && row[0].Length == 0) continue;
            if (row.Count <= Math.Max(index, name) || !long.TryParse(row[index], out long id))
                throw new InvalidInputException($"{path}: row {r + 1} has no numeric Index and Name");
            names[id] = row[name];
        }
        return new Yt8mVocabulary(names);
    }

    /// <summary>Label ids for a list of ids and/or names (names matched ignoring case).</summary>
    public static IReadOnlySet<long> Resolve(IEnumerable<string> labels, Yt8mVocabulary? vocabulary)
    {
        var ids = new HashSet<long>();
        foreach (var l in labels)
        {
            if (long.TryParse(l, out long id)) { ids.Add(id); continue; }
            if (vocabulary is null) throw new InvalidInputException($"label '{l}': not an id; give --vocabulary vocabulary.csv to use names");
            var match = vocabulary.Names.Where(kv => string.Equals(kv.Value, l, StringComparison.OrdinalIgnoreCase)).Select(kv => kv.Key).ToList();
            if (match.Count == 0) throw new InvalidInputException($"label '{l}': no such name in the vocabulary");
            ids.UnionWith(match);
        }
        return ids;
    }

    static IEnumerable<List<string>> ParseCsv(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                yield return row;
                row = new List<string>();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); yield return row; }
    }

    /// <summary>
    /// Writes <c>&lt;store&gt;/texts/labels.jsonl</c> for training (<c>viml train</c> with <c>"texts": "labels"</c>):
    /// per item, one text naming its labels ("Music video, Guitar, Concert"), or no text when no label has a
    /// name (the model then trains that item without text, as text dropout does). Returns items with a text.
    /// </summary>
    public static int WriteLabelTexts(FeatureStore store, Yt8mVocabulary? vocabulary)
    {
        var sb = new StringBuilder();
        int withText = 0;
        foreach (var item in store.ReadAll())
        {
            var names = (item.Source.GetValueOrDefault("labels") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => long.TryParse(s, out long id) && vocabulary?.Names.TryGetValue(id, out var n) == true ? n : null)
                .OfType<string>().ToList();
            var texts = names.Count > 0 ? new[] { string.Join(", ", names) } : Array.Empty<string>();
            if (texts.Length > 0) withText++;
            sb.Append(JsonSerializer.Serialize(new { id = item.Id, texts })).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(store.Root, "texts", "labels.jsonl"), sb.ToString());
        return withText;
    }
}
