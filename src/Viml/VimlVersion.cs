using System.Reflection;

namespace Viml;

/// <summary>The product's version: the build's informational version (<c>Version</c> in Directory.Build.props,
/// plus the source commit's first 7 hex digits when the build knew it).</summary>
public static class VimlVersion
{
    public static string Text { get; } = Read();

    static string Read()
    {
        var a = typeof(VimlVersion).Assembly;
        string v = a.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                   ?? a.GetName().Version?.ToString(3) ?? "0.0.0";
        int plus = v.IndexOf('+');
        return plus >= 0 && v.Length > plus + 8 ? v[..(plus + 8)] : v;
    }
}
