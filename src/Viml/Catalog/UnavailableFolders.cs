namespace Viml.Catalog;

/// <summary>
/// The folders whose tracks <c>catalog sync</c> keeps although their files are gone: a folder given to
/// <c>catalog add</c> (or, for a file added by name, its folder) that is missing — moved, renamed, an unmounted
/// disk — or that exists but holds none of its tracks' files any more (the empty mount point an unmounted disk
/// leaves). A vanished folder is not "every file deleted": its tracks stay, and each folder is reported as a failed
/// item so the run exits non-zero. A file gone from a folder that still holds others is a real deletion.
/// </summary>
public sealed class UnavailableFolders
{
    readonly List<(string Folder, int Tracks, bool Missing)> _folders = new();

    /// <summary>No folder counts as unavailable: sync drops every track whose file is gone.</summary>
    public static UnavailableFolders None { get; } = new();

    /// <summary>Checks each track's folder: the deepest of <paramref name="roots"/> holding it, else its own folder.</summary>
    public static UnavailableFolders Find(IReadOnlyList<string> roots, IReadOnlyList<CatalogTrack> tracks)
    {
        var result = new UnavailableFolders();
        var byFolder = tracks.GroupBy(t => FolderOf(t.Path, roots), StringComparer.Ordinal);
        foreach (var g in byFolder.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            bool missing = !Directory.Exists(g.Key);
            if (missing || !g.Any(t => File.Exists(t.Path))) result._folders.Add((g.Key, g.Count(), missing));
        }
        return result;
    }

    /// <summary>Whether <paramref name="trackPath"/> lies in one of the unavailable folders (its track must be kept).</summary>
    public bool Holds(string trackPath) => _folders.Any(f => IsUnder(trackPath, f.Folder));

    /// <summary>One failed item per unavailable folder, saying why its tracks were kept and how to drop them.</summary>
    public IEnumerable<IngestEvent> Events => _folders.Select(f => new IngestEvent(f.Folder, IngestOutcome.Failed,
        (f.Missing ? "folder missing (moved, renamed or unmounted?)" : "none of its tracks' files are there (an unmounted disk?)") +
        $"; its {f.Tracks} track(s) are kept: sync again once it is back, or with --forget-missing to drop them"));

    static string FolderOf(string path, IReadOnlyList<string> roots) =>
        roots.Where(r => IsUnder(path, r)).OrderByDescending(r => r.Length).FirstOrDefault()
        ?? Path.GetDirectoryName(path) ?? path;

    static bool IsUnder(string path, string folder)
    {
        string f = Path.TrimEndingDirectorySeparator(folder);
        return path.Length > f.Length && path.StartsWith(f, StringComparison.Ordinal) && path[f.Length] == Path.DirectorySeparatorChar;
    }
}
