namespace Viml.Demo;

/// <summary>
/// Commands a user can run next on a finished demo's own folders, as the demo prints them: the same verbs the
/// docs show, with the demo's catalog and checkpoint. <c>best/</c> works as well as <c>last/</c>: with 6
/// validation items, training makes <c>best/</c> the last epoch.
/// </summary>
public static class DemoNextSteps
{
    /// <summary>Each command as one shell line starting with <c>viml</c>.</summary>
    public static IReadOnlyList<string> Commands(DemoPaths paths, string checkpoint)
    {
        string best = Path.Combine(Path.GetDirectoryName(checkpoint)!, "best");
        string jazz = Directory.Exists(paths.MusicFolder)
            ? Directory.EnumerateFiles(paths.MusicFolder, "jazz *").Order(StringComparer.Ordinal).FirstOrDefault() ?? ""
            : "";
        var lines = new List<string>
        {
            $"viml recommend {Q(paths.QueryVideo)} --catalog {Q(paths.Catalog)} --model {Q(checkpoint)} --text \"a calm piano piece\" --explain",
            $"viml recommend {Q(paths.QueryVideo)} --catalog {Q(paths.Catalog)} --model {Q(best)} --top 3 --json",
            $"viml catalog list --catalog {Q(paths.Catalog)}",
        };
        if (jazz.Length > 0) lines.Add($"viml tags {Q(jazz)}");
        lines.Add($"viml serve --catalog {Q(paths.Catalog)} --model {Q(checkpoint)}");
        return lines;
    }

    /// <summary>Quotes a path for a POSIX shell when it holds anything but safe characters.</summary>
    static string Q(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+".Contains(c)) ? path : "'" + path.Replace("'", "'\\''") + "'";
}
