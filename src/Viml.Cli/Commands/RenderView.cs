namespace Viml.Cli.Commands;

/// <summary>Times as the rhythm-aware verbs print them.</summary>
static class RenderView
{
    /// <summary>An exact start: 62.35 s as "1:02.35".</summary>
    public static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(Math.Max(0, seconds), 2));
        return $"{(int)t.TotalMinutes}:{t.Seconds:00}.{t.Milliseconds / 10:00}";
    }
}
