using System.ComponentModel;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Cli.Commands;

/// <summary><c>viml recommend [video] [--text "..."] --catalog DIR --model CKPT</c>: ranked tracks with their best segment.</summary>
sealed class RecommendCommand : Command<RecommendCommand.Settings>
{
    public sealed class Settings : QuerySettings
    {
        [CommandArgument(0, "[video]")]
        [Description("The video to find music for; leave out for a text-only query (needs an MT checkpoint)")]
        public string? Video { get; init; }

        [CommandOption("-t|--text <TEXT>")]
        [Description("What the music should be like; empty = video only")]
        public string? Text { get; init; }

        [CommandOption("-k|--top <N>")]
        [Description("How many tracks to list (1-1000)")]
        [DefaultValue(10)]
        public int Top { get; init; } = 10;

        [CommandOption("--min-duration <SECONDS>")]
        [Description("Keep tracks at least this long (seconds)")]
        public double? MinDuration { get; init; }

        [CommandOption("--max-duration <SECONDS>")]
        [Description("Keep tracks at most this long (seconds)")]
        public double? MaxDuration { get; init; }

        [CommandOption("--tag <TAG>")]
        [Description("Keep tracks carrying this tag (name, e.g. rock, or model:category:name); repeatable, all must match")]
        public string[] Tags { get; init; } = [];

        [CommandOption("--json")]
        [Description("Print JSON (results, query mode, timings)")]
        public bool Json { get; init; }

        [CommandOption("--text-weight <W>")]
        [Description("With a model: 0 = video only, 0.5 = the model's video + text, 1 = words alone; default 0.625, chosen on validation data (docs/words.md)")]
        public double? TextWeight { get; init; }

        [CommandOption("--like <TRACK>")]
        [Description("More like this: a track id (see `catalog list`) or an audio file; alone or with a video and/or --text")]
        public string? Like { get; init; }

        [CommandOption("--explain")]
        [Description("Show each track's tags and the query words they share")]
        public bool Explain { get; init; }

        [CommandOption("--pace <WEIGHT>")]
        [Description("Weight of the pace fit (video cuts and motion against the music's tempo and energy) added to the score; 0 turns it off")]
        [DefaultValue(RhythmOptions.DefaultPace)]
        public double Pace { get; init; } = RhythmOptions.DefaultPace;

        [CommandOption("--bpm-min <BPM>")]
        [Description("Only tracks whose tempo is at least this many beats per minute (tracks without a tempo are left out)")]
        public double? BpmMin { get; init; }

        [CommandOption("--bpm-max <BPM>")]
        [Description("Only tracks whose tempo is at most this many beats per minute (tracks without a tempo are left out)")]
        public double? BpmMax { get; init; }

        [CommandOption("--render <N>")]
        [Description("Also write the video with result N's music under it, from its suggested start (see `viml render`)")]
        public int? Render { get; init; }

        [CommandOption("-o|--out <FILE>")]
        [Description("Where --render writes (.mp4, .m4v, .mov or .mkv; default <video>-with-<track>.mp4 here)")]
        public string? Out { get; init; }

        [CommandOption("--keep-audio <0..1>")]
        [Description("How much of the video's own sound --render keeps under the music (default 0)")]
        public double KeepAudio { get; init; }

        public override ValidationResult Validate() =>
            Video is null && string.IsNullOrWhiteSpace(Text) && Like is null ? ValidationResult.Error("give a video, --text, --like, or some of them")
            : Video != null && !File.Exists(Video) ? ValidationResult.Error($"{Video}: no such file")
            : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var options = new RecommendOptions(s.Top, s.MinDuration, s.MaxDuration, s.Tags);
        options.Validate();
        var rhythm = new RhythmOptions(s.Pace, s.BpmMin, s.BpmMax);
        rhythm.Validate();
        if (s.Render is int n && (n < 1 || n > s.Top || s.Video is null || s.Json))
            throw new InvalidInputException($"--render {n}: needs a video, a rank from 1 to --top {s.Top}, and no --json");
        if (s.Video is not null && Viml.Media.MediaProbe.Probe(s.Video, cancellation).Video is null)
            throw new MediaException(s.Video, "has no video stream");   // before any model loads
        using var service = s.Open(out var parts);
        using (parts)
        {
            var steering = LikeOption.Steering(s.Like, s.TextWeight, s.AllKinds, cancellation);
            var r = service.Recommend(s.Video, s.Text, options, steering, cancellation, rhythm);
            string mode = QueryMode.Of(r.Query, service.WordsOnly, s.Text, steering.Likes ? s.Like : null);
            var t = r.Query.Timings;
            if (r.Items.Count == 0)
                Console.Error.WriteLine($"viml: {TerminalText.Safe(NoMatch.Explain(service.Catalog, options))}");
            if (r.Query.EmptySegments is { Count: > 0 } gaps)
                Console.Error.WriteLine($"viml: {TerminalText.Safe(s.Video)}: note: {gaps.Count} segment(s) without a single frame left out " +
                    $"({string.Join(", ", gaps.Take(5).Select(g => $"{g.Start:0.#}-{g.End:0.#} s"))}{(gaps.Count > 5 ? ", ..." : "")})");
            if (s.Json)
            {
                Console.WriteLine(JsonSerializer.Serialize(RecommendationReport.From(r, mode, s.Video, s.Text),
                    new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
                return 0;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("#", "track", "best segment", "score", "track score");
            table.AddColumns("bpm", "start at");
            foreach (var x in r.Items)
            {
                var m = x.Track.Metadata;
                string name = TerminalText.Markup(m.Title) + (m.Artist is null ? "" : $" [grey]— {TerminalText.Markup(m.Artist)}[/]");
                var row = new List<string> { x.Rank.ToString(), name, $"{Clock(x.SegmentStart)}–{Clock(x.SegmentEnd)} of {Clock(m.Duration)}", $"{x.Score:0.000}", float.IsNaN(x.TrackScore) ? "" : $"{x.TrackScore:0.000}" };
                row.AddRange(r.Rhythm.TryGetValue(x.Track.Id, out var rh) ? [$"{rh.Bpm:0}", RenderView.Clock(rh.Start)] : ["", ""]);
                table.AddRow(row.ToArray());
            }
            AnsiConsole.Write(table);
            string sampled = r.Query.SampledFrom > r.Query.VideoSegments ? $", {r.Query.VideoSegments} of {r.Query.SampledFrom} segments sampled" : r.Query.VideoSegments > 0 ? $", {r.Query.VideoSegments} segments" : "";
            AnsiConsole.MarkupLine($"[grey]{mode}{sampled}; {service.Index.Kind.ToString().ToLowerInvariant()} search over {service.Index.Count} segments; " +
                $"decode {t.Decode.TotalSeconds:0.00} s, frame encoding {t.FrameEncoding.TotalSeconds:0.00} s, text {t.TextEncoding.TotalSeconds:0.00} s, model {t.Model.TotalSeconds:0.00} s, search {t.Search.TotalMilliseconds:0.0} ms[/]");
            if (r.Query.Pace is { } pace)
                AnsiConsole.MarkupLine($"[grey]video pace: {pace.Cuts.Length} cut(s) ({pace.CutsPerMinute:0.0} a minute)" +
                    (pace.FirstCut is double c ? $", first at {RenderView.Clock(c)}" : "") + $", motion {pace.Motion:0.000}; pace weight {s.Pace:0.###}[/]");
            if (s.Render is int rank && r.Items.Count >= rank)
            {
                var pick = r.Items[rank - 1];
                double start = r.Rhythm.TryGetValue(pick.Track.Id, out var pr) ? pr.Start : pick.SegmentStart;
                string output = s.Out ?? RenderCommand.DefaultOutput(s.Video!, pick.Track.Path);
                Viml.Media.SoundtrackMix.Render(s.Video!, pick.Track.Path, output, new Viml.Media.SoundtrackOptions(start, s.KeepAudio), cancellation);
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/]: the video with #{rank} from {RenderView.Clock(start)}");
            }
            if (s.Explain)
            {
                AnsiConsole.MarkupLine(string.IsNullOrWhiteSpace(s.Text) ? "tags of each track (mean confidence over its segments):"
                    : $"tags of each track; those sharing a word with \"{Markup.Escape(s.Text)}\" in [bold green]green[/]:");
                foreach (var x in r.Items)
                {
                    var shared = Recommender.SharedWords(s.Text, x.Tags).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    var tags = x.Tags.GroupBy(g => TagInfo.NameOf(g.Name), StringComparer.OrdinalIgnoreCase)
                        .Select(g => (Name: g.Key, Confidence: g.Max(t => t.Confidence))).OrderByDescending(g => g.Confidence).Take(8)
                        .Select(g => shared.Contains(g.Name) ? $"[bold green]{TerminalText.Markup(g.Name)}[/] {g.Confidence:0.00}" : $"{TerminalText.Markup(g.Name)} {g.Confidence:0.00}");
                    AnsiConsole.MarkupLine($"  {x.Rank}. {TerminalText.Markup(x.Track.Metadata.Title)}: {string.Join(", ", tags)}");
                }
            }
            return 0;
        }
    }

    static string Clock(double s) => $"{(int)(s / 60)}:{(int)(s % 60):00}";
}
