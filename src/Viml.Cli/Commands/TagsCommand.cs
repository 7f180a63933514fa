using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Encoders;
using Viml.Media;

namespace Viml.Cli.Commands;

/// <summary><c>viml tags &lt;audio&gt;</c>: the musicnn tags of a music file (or a video's soundtrack), per model, mean over its 10-s segments.</summary>
sealed class TagsCommand : Command<TagsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<file>"), Description("Audio or video file whose music to tag")]
        public string File { get; init; } = "";

        [CommandOption("-n|--top <N>"), Description("Tags to show per model (default 5)")]
        public int Top { get; init; } = 5;

        [CommandOption("--segments"), Description("Also show the top tags of every 10-s segment")]
        public bool Segments { get; init; }

        public override ValidationResult Validate() =>
            Top is < 1 or > 50 ? ValidationResult.Error("--top must be 1..50") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var info = MediaProbe.Probe(settings.File, cancellation);
        var segments = Segmenter.Split(0, info.Duration, 10, settings.File);
        // The file is decoded before the taggers load: a file without sound or a corrupt one is reported at once.
        var pcm = AudioDecoder.DecodeMono(info, MusicnnEncoder.Hz, ct: cancellation);
        var audio = segments.Select(s =>
        {
            int from = Math.Min(pcm.Length, (int)(s.Start * MusicnnEncoder.Hz));
            int to = Math.Min(pcm.Length, (int)(s.End * MusicnnEncoder.Hz));
            return pcm[from..Math.Max(from + 1, to)];
        }).ToList();
        using var encoder = new MusicnnEncoder();
        var features = encoder.Embed(audio);
        var mean = Enumerable.Range(0, encoder.Tags.Count).Select(t => features.Average(f => f.Tags[t])).ToArray();

        AnsiConsole.MarkupLine($"[grey]{TerminalText.Markup(settings.File)}: {info.Duration:0.0} s, {segments.Count} segment(s)[/]");
        var table = new Table().Border(TableBorder.Simple).AddColumns("span", "model", "top tags (confidence)");
        var models = encoder.Tags.Select(t => t.Model).Distinct().ToList();
        string Top(float[] tags, string model, int k) => string.Join(", ", Enumerable.Range(0, encoder.Tags.Count)
            .Where(i => encoder.Tags[i].Model == model).OrderByDescending(i => tags[i]).Take(k)
            .Select(i => $"{Markup.Escape(encoder.Tags[i].Name)}\u00a0[grey]{tags[i]:0.00}[/]"));
        foreach (var model in models) table.AddRow(model == models[0] ? "whole file" : "", model, Top(mean, model, settings.Top));
        if (settings.Segments)
            for (int s = 0; s < segments.Count; s++)
                foreach (var model in models)
                    table.AddRow(model == models[0] ? $"{segments[s].Start:0}-{segments[s].End:0} s" : "", model, Top(features[s].Tags, model, settings.Top));
        AnsiConsole.Write(table);
        return 0;
    }
}
