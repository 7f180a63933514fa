using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Features.YouTube8M;

namespace Viml.Cli.Commands;

sealed class Yt8mImportCommand : Command<Yt8mImportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<tfrecords>"), Description("Frame-level TFRecord files, folders or patterns such as 'frame/train*.tfrecord'")]
        public string[] Inputs { get; init; } = [];

        [CommandOption("--out <STORE>"), Description("Feature store folder (created if absent; existing items are kept)")]
        public string? Out { get; init; }

        [CommandOption("--labels <IDS>"), Description("Keep only videos with one of these labels: ids (vocabulary.csv's Index column) or, with --vocabulary, names; comma-separated")]
        public string? Labels { get; init; }

        [CommandOption("--vocabulary <CSV>"), Description("YouTube-8M vocabulary.csv: label names for --labels and for the texts written to <store>/texts/labels.jsonl")]
        public string? Vocabulary { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out <STORE> is required");
            if (Labels is not null && Vocabulary is null && Labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(s => !long.TryParse(s, out _)))
                return ValidationResult.Error($"--labels '{Labels}': expected comma-separated label ids, e.g. 27,31 (names need --vocabulary vocabulary.csv)");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var files = InputFiles.Expand(s.Inputs);
        var vocabulary = s.Vocabulary is null ? null : Yt8mVocabulary.Read(s.Vocabulary);
        var labels = s.Labels is null ? null : Yt8mVocabulary.Resolve(s.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), vocabulary);
        var report = ProgressBar.Run($"{files.Count} file(s)", files.Count, task =>
            Yt8mImporter.Import(files, s.Out!, labels, new SyncProgress<Yt8mProgress>(p =>
            {
                task.Value = p.FilesDone;
                task.Description = $"{p.Imported} imported, {p.Records} records";
            }), cancellation), more: new ElapsedTimeColumn());
        foreach (var p in report.Problems) Console.Error.WriteLine($"viml: skipped: {p}");
        AnsiConsole.MarkupLine($"{report.Imported} video(s) imported into [bold]{Markup.Escape(s.Out!)}[/] from {report.Records} record(s) in {report.Files} file(s); "
            + $"{report.AlreadyInStore} already there, {report.FilteredOut} without a listed label, {report.Problems.Count} skipped as corrupt.");
        int withText = Yt8mVocabulary.WriteLabelTexts(Viml.Features.FeatureStore.Open(s.Out!), vocabulary);
        AnsiConsole.MarkupLine($"texts for training: {Markup.Escape(Path.Combine(s.Out!, "texts", "labels.jsonl"))} ({withText} item(s) with label names{(vocabulary is null ? "; give --vocabulary for names" : "")})");
        bool nothingUsable = report.Imported + report.AlreadyInStore + report.FilteredOut == 0 && report.Problems.Count > 0;
        return nothingUsable ? 2 : 0;
    }
}
