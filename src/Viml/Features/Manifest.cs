using System.Text.Json;

namespace Viml.Features;

/// <summary>
/// One item to extract: a music video (<see cref="Video"/> carries the music), or a video with its music in a
/// separate <see cref="Audio"/> file played from the video's time 0; optionally only the clip
/// [<see cref="Start"/>, <see cref="End"/>) seconds of it. Paths are absolute once read from a manifest.
/// </summary>
public sealed record ManifestItem(string Id, string Video, string? Audio = null, double? Start = null, double? End = null)
{
    /// <summary>The file the music comes from.</summary>
    public string AudioPath => Audio ?? Video;
}

/// <summary>
/// Reads a manifest: JSON Lines, one object per line, e.g.
/// <c>{"id": "clip-1", "video": "videos/a.mp4", "audio": "music/a.wav", "start": 30, "end": 90}</c>.
/// <c>id</c> and <c>video</c> are required; relative paths resolve against the manifest's folder; blank
/// lines are skipped. A malformed line, an unknown field or a duplicate id is an error naming the line.
/// </summary>
public static class Manifest
{
    static readonly HashSet<string> Fields = ["id", "video", "audio", "start", "end"];

    public static IReadOnlyList<ManifestItem> Read(string path)
    {
        IO.InputFile.Check(path);
        if (Directory.Exists(path)) throw new InvalidInputException($"{path}: is a folder, not a manifest");
        if (!File.Exists(path)) throw new InvalidInputException($"{path}: manifest does not exist");
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InvalidInputException($"{path}: unreadable ({e.Message})", e); }
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var items = new List<ManifestItem>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            string where = $"{path}:{i + 1}";
            var item = ParseLine(lines[i], where, folder);
            if (firstLine.TryGetValue(item.Id, out int first)) throw new InvalidInputException($"{where}: duplicate id \"{item.Id}\" (first on line {first})");
            firstLine[item.Id] = i + 1;
            items.Add(item);
        }
        if (items.Count == 0) throw new InvalidInputException($"{path}: the manifest lists no items");
        return items;
    }

    static ManifestItem ParseLine(string line, string where, string folder)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new InvalidInputException($"{where}: not a JSON object ({e.Message})", e); }
        using (doc)
        {
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object) throw new InvalidInputException($"{where}: not a JSON object");
            foreach (var p in o.EnumerateObject())
                if (!Fields.Contains(p.Name)) throw new InvalidInputException($"{where}: unknown field \"{p.Name}\" (fields: id, video, audio, start, end)");
            string id = Text(o, "id", where) ?? throw new InvalidInputException($"{where}: missing \"id\"");
            string video = Text(o, "video", where) ?? throw new InvalidInputException($"{where}: missing \"video\"");
            string? audio = Text(o, "audio", where);
            double? start = Seconds(o, "start", where), end = Seconds(o, "end", where);
            if (start < 0) throw new InvalidInputException($"{where}: \"start\" is negative");
            if (end is not null && end <= (start ?? 0)) throw new InvalidInputException($"{where}: \"end\" ({end}) is not after \"start\" ({start ?? 0})");
            return new ManifestItem(id, Resolve(folder, video), audio is null ? null : Resolve(folder, audio), start, end);
        }
    }

    static string Resolve(string folder, string p) => Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(folder, p));

    static string? Text(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            throw new InvalidInputException($"{where}: \"{name}\" must be a non-empty string");
        return v.GetString();
    }

    static double? Seconds(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double x) || !double.IsFinite(x))
            throw new InvalidInputException($"{where}: \"{name}\" must be a number of seconds");
        return x;
    }
}
