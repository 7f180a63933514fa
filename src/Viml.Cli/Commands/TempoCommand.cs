using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Media;
using Viml.Rhythm;

namespace Viml.Cli.Commands;

/// <summary><c>viml tempo &lt;audio&gt; [--json]</c>: tempo, beats, downbeats and energy of a music file.</summary>
sealed class TempoCommand : Command<TempoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<file>"), Description("Audio or video file whose music to analyse")]
        public string File { get; init; } = "";

        [CommandOption("--json"), Description("Print JSON: bpm, confidence, beat and downbeat times, energy curve")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var info = MediaProbe.Probe(s.File, cancellation);
        var pcm = AudioDecoder.DecodeMono(info, RhythmAnalyzer.SampleRate, ct: cancellation);
        var r = RhythmAnalyzer.Analyse(pcm, RhythmAnalyzer.SampleRate);
        if (s.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                file = s.File, duration = info.Duration, bpm = Math.Round(r.Bpm, 2), confidence = Math.Round(r.Confidence, 3),
                beats = r.Beats.Select(b => Math.Round(b, 3)), downbeats = r.Downbeats.Select(b => Math.Round(b, 3)),
                energy_hop = r.EnergyHop, energy_db = r.Energy.Select(e => Math.Round(e, 1)),
            }, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        AnsiConsole.MarkupLine($"[bold]{r.Bpm:0.0} BPM[/] (confidence {r.Confidence:0.00}); {r.Beats.Length} beats, {r.Downbeats.Length} bars " +
            $"in {info.Duration:0.0} s");
        AnsiConsole.MarkupLine($"beats: {Times(r.Beats)}");
        AnsiConsole.MarkupLine($"bar starts: {Times(r.Downbeats)}");
        var steps = r.Energy.Length;
        if (steps > 0)
            AnsiConsole.MarkupLine($"energy: {r.Energy.Average(e => e):0.0} dBFS on average, from {r.Energy.Min():0.0} to {r.Energy.Max():0.0} " +
                $"(loudest at {r.EnergyHop * Array.IndexOf(r.Energy, r.Energy.Max()):0.0} s)");
        return 0;
    }

    static string Times(double[] t) =>
        string.Join(" ", t.Take(12).Select(x => $"{x:0.00}")) + (t.Length > 12 ? $" … ({t.Length - 12} more)" : "");
}
