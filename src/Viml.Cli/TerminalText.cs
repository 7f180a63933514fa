using System.Text;

namespace Viml.Cli;

/// <summary>
/// Text from files (names, ID3 titles, tags) made safe to print on a terminal: control characters (C0, DEL, C1:
/// the escape sequences that recolour, retitle or clear a terminal) and the bidirectional overrides that reorder
/// what is shown become visible escapes (<c>\x1b</c>, <c>\u202e</c>), so a file cannot write to the terminal
/// through its name. JSON output needs nothing: the serializer escapes control characters itself.
/// </summary>
static class TerminalText
{
    /// <summary><paramref name="text"/> with every control or bidi-control character written as an escape.</summary>
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (!text.Any(Unsafe)) return text;
        var b = new StringBuilder(text.Length + 16);
        foreach (char c in text)
            if (!Unsafe(c)) b.Append(c);
            else if (c <= 0xFF) b.Append($"\\x{(int)c:x2}");
            else b.Append($"\\u{(int)c:x4}");
        return b.ToString();
    }

    /// <summary><see cref="Safe"/>, then escaped for Spectre.Console markup.</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Safe(text));

    static bool Unsafe(char c) =>
        char.IsControl(c) || c is '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}
