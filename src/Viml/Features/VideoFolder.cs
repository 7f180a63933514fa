using System.Text.Json;
using Viml.IO;

namespace Viml.Features;

/// <summary>The videos under a folder as manifest items: one item per file, its id the path relative to the folder.</summary>
public static class VideoFolder
{
    /// <summary>Extensions picked up as videos.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".mp4", ".m4v", ".mkv", ".webm", ".mov", ".avi", ".mpg", ".mpeg", ".ts" };

    /// <summary>The video files under <paramref name="folder"/> (recursively, hidden files aside), in ordinal order.</summary>
    public static IReadOnlyList<ManifestItem> Items(string folder)
    {
        if (!Directory.Exists(folder)) throw new InvalidInputException($"{folder}: no such folder");
        string root = Path.GetFullPath(folder);
        var items = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(f => new ManifestItem(Path.GetRelativePath(root, f).Replace('\\', '/'), f))
            .ToList();
        if (items.Count == 0)
            throw new InvalidInputException($"{folder}: no video files ({string.Join(", ", Extensions.Order())}) in the folder");
        return items;
    }

    /// <summary>Writes the items as a JSON Lines manifest (atomically) and returns them.</summary>
    public static IReadOnlyList<ManifestItem> WriteManifest(string folder, string manifestPath)
    {
        var items = Items(folder);
        var lines = items.Select(i => JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = i.Id, ["video"] = i.Video }));
        AtomicFile.WriteAllText(manifestPath, string.Join("\n", lines) + "\n");
        return items;
    }
}
