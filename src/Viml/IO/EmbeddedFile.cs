using System.Reflection;

namespace Viml.IO;

/// <summary>Files compiled into the Viml assembly (tables and weights under Text/ and Sound/), found by
/// file name.</summary>
public static class EmbeddedFile
{
    /// <summary>The file named <paramref name="name"/>, to read; exactly one embedded file has that name.</summary>
    public static Stream Open(string name)
    {
        var asm = Assembly.GetExecutingAssembly();
        string res = asm.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        return asm.GetManifestResourceStream(res)!;
    }

    /// <summary>The whole file as text.</summary>
    public static string ReadAllText(string name)
    {
        using var r = new StreamReader(Open(name));
        return r.ReadToEnd();
    }
}
