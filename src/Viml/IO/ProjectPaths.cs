namespace Viml.IO;

/// <summary>Finds files that ship with Viml (vendored weights under <c>models/</c>, descriptions under
/// <c>data/</c>) and the optional <c>shared/</c> folder of public data beside a checkout.</summary>
public static class ProjectPaths
{
    /// <summary>The repository root: the nearest folder above the running assembly holding <c>Viml.sln</c>
    /// (or <c>VIML_HOME</c> when set); throws for a program installed outside a checkout.</summary>
    public static string Root => _root.Value ?? throw new VimlException(
        $"cannot find the Viml checkout above {AppContext.BaseDirectory}; set VIML_HOME");

    static readonly Lazy<string?> _root = new(() =>
    {
        var env = Environment.GetEnvironmentVariable("VIML_HOME");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Viml.sln"))) return d.FullName;
        return null;
    });

    /// <summary>
    /// A file Viml ships, e.g. <c>Vendored("models/music/…")</c>: <c>VIML_HOME</c>'s copy when set, else the one
    /// beside the program (every build and publish output carries them), else the checkout's. Throws naming it
    /// when absent.
    /// </summary>
    public static string Vendored(string relative)
    {
        var candidates = new List<string>();
        var env = Environment.GetEnvironmentVariable("VIML_HOME");
        if (!string.IsNullOrEmpty(env)) candidates.Add(Path.Combine(Path.GetFullPath(env), relative));
        candidates.Add(Path.Combine(AppContext.BaseDirectory, relative));
        if (_root.Value is { } root) candidates.Add(Path.Combine(root, relative));
        foreach (var p in candidates)
            if (File.Exists(p) || Directory.Exists(p)) return p;
        throw new VimlException($"{relative}: a file Viml ships is missing (looked in {string.Join(", ", candidates.Distinct())})");
    }

    /// <summary>The <c>shared/</c> folder beside the checkout (<c>VIML_SHARED</c> overrides), or null.</summary>
    public static string? Shared
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("VIML_SHARED");
            if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
            if (_root.Value is not { } root) return null;
            var p = Path.GetFullPath(Path.Combine(root, "..", "shared"));
            return Directory.Exists(p) ? p : null;
        }
    }
}
