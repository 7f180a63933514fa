using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Catalog;
using Viml.Media;

namespace Viml.Cli.Commands;

/// <summary><c>viml render &lt;video&gt; --track ID|PATH [--start S] [--out FILE] [--keep-audio K]</c>: the video with the music under it.</summary>
sealed class RenderCommand : Command<RenderCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<video>"), Description("The video to put music under (its picture is copied, not re-encoded)")]
        public string Video { get; init; } = "";

        [CommandOption("--track <ID|PATH>"), Description("A music file, or the id of a catalog track (with --catalog)")]
        public string Track { get; init; } = "";

        [CommandOption("-c|--catalog <DIR>"), Description("Catalog holding the track id given to --track")]
        public string? Catalog { get; init; }

        [CommandOption("--start <SECONDS>"), Description("Where in the music to start (default 0)")]
        public double Start { get; init; }

        [CommandOption("-o|--out <FILE>"), Description("Output file: .mp4, .m4v, .mov or .mkv (default <video>-with-<track>.mp4 here)")]
        public string? Out { get; init; }

        [CommandOption("--keep-audio <0..1>"), Description("How much of the video's own sound to keep under the music (default 0)")]
        public double KeepAudio { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Track) ? ValidationResult.Error("--track <ID|PATH> is required")
            : !File.Exists(Video) ? ValidationResult.Error($"{Video}: no such file")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        string music = ResolveTrack(s.Track, s.Catalog);
        string output = s.Out ?? DefaultOutput(s.Video, music);
        SoundtrackMix.Render(s.Video, music, output, new SoundtrackOptions(s.Start, s.KeepAudio), cancellation);
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/]: {Markup.Escape(Path.GetFileName(s.Video))} with " +
            $"{Markup.Escape(Path.GetFileName(music))} from {RenderView.Clock(s.Start)}");
        return 0;
    }

    /// <summary>A catalog track's file (an integer id with a catalog), else the path given.</summary>
    public static string ResolveTrack(string track, string? catalogDir)
    {
        if (long.TryParse(track, out long id) && !File.Exists(track))
        {
            if (string.IsNullOrWhiteSpace(catalogDir)) throw new InvalidInputException($"--track {track}: a track id needs --catalog <DIR>");
            var t = MusicCatalog.Open(catalogDir).Track(id) ?? throw new InvalidInputException($"--track {track}: no such track in {catalogDir}");
            return t.Path;
        }
        if (!File.Exists(track)) throw new InvalidInputException($"--track {track}: no such file");
        return track;
    }

    public static string DefaultOutput(string video, string music) =>
        $"{Path.GetFileNameWithoutExtension(video)}-with-{Path.GetFileNameWithoutExtension(music)}.mp4";
}
