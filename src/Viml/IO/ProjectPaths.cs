namespace Viml.IO;

/// <summary>Finds files that ship with Viml (vendored weights under <c>models/</c>) and the optional
/// <c>shared/</c> folder of public data beside the checkout.</summary>
public static class ProjectPaths
{
    /// <summary>The repository root: the nearest folder above the running assembly holding <c>Viml.sln</c>
    /// (or <c>VIML_HOME</c> when set).</summary>
    public static string Root => _root.Value;

    static readonly Lazy<string> _root = new(() =>
    {
        var env = Environment.GetEnvironmentVariable("VIML_HOME");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Viml.sln"))) return d.FullName;
        throw new VimlException($"cannot find the Viml checkout above {AppContext.BaseDirectory}; set VIML_HOME");
    });

    /// <summary>A file shipped in the repository, e.g. <c>Vendored("models/music/msd/…")</c>; throws naming it when absent.</summary>
    public static string Vendored(string relative)
    {
        string p = Path.Combine(Root, relative);
        if (!File.Exists(p) && !Directory.Exists(p)) throw new VimlException($"{p}: a file Viml ships is missing from this checkout");
        return p;
    }

    /// <summary>The <c>shared/</c> folder beside the checkout (<c>VIML_SHARED</c> overrides), or null.</summary>
    public static string? Shared
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("VIML_SHARED");
            if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
            var p = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            return Directory.Exists(p) ? p : null;
        }
    }
}
