using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Evaluation;
using Viml.IO;
using Viml.Metrics;
using Viml.Model;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Cli.Commands;

sealed class EvalCommand : Command<EvalCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--store <DIR>"), Description("Feature store with texts/<texts>.jsonl.")]
        public string Store { get; init; } = "";
        [CommandOption("--texts <APPROACH>"), Description("Text approach used as the query text (default tags).")]
        public string Texts { get; init; } = "tags";
        [CommandOption("--text-encoder <NAME>"), Description("minilm (default) or synthetic.")]
        public string TextEncoder { get; init; } = "minilm";
        [CommandOption("--viml <DIR>"), Description("ViML checkpoint folder (e.g. runs/viml/best).")]
        public string? Viml { get; init; }
        [CommandOption("--mvpt <DIR>"), Description("MVPt+ checkpoint folder.")]
        public string? Mvpt { get; init; }
        [CommandOption("--mt <DIR>"), Description("MT (music+text) checkpoint folder.")]
        public string? Mt { get; init; }
        [CommandOption("--pool <N>"), Description("Pool size N (default: 2000 at track level, 500 at clip level).")]
        public int? Pool { get; init; }
        [CommandOption("--level <LEVEL>"), Description("track (whole items, default) or clip: each test item is ranked by one 10-s music clip with "
            + "the 30 s of video around it, drawn from its segments.")]
        public string Level { get; init; } = "track";
        [CommandOption("--seed <N>"), Description("Pool sampling seed.")]
        public int Seed { get; init; }
        [CommandOption("--split <NAME>"), Description("test (default) or val.")]
        public string Split { get; init; } = "test";
        [CommandOption("--validation-fraction <F>"), Description("Share of items held out for validation; must match training's (default 0.1).")]
        public double ValidationFraction { get; init; } = 0.1;
        [CommandOption("--test-fraction <F>"), Description("Share of items held out for testing; must match training's (default 0.1).")]
        public double TestFraction { get; init; } = 0.1;
        [CommandOption("-o|--out <PATH>"), Description("Report path without extension: writes PATH.json and PATH.md (default eval-report).")]
        public string Out { get; init; } = "eval-report";

        public override ValidationResult Validate() =>
            string.IsNullOrEmpty(Store) ? ValidationResult.Error("--store is required")
            : Viml is null && Mvpt is null && Mt is null ? ValidationResult.Error("give at least one of --viml, --mvpt, --mt")
            : Split is not ("test" or "val") ? ValidationResult.Error("--split must be test or val")
            : Level is not ("track" or "clip") ? ValidationResult.Error($"--level \"{Level}\": use track or clip")
            : Pool < 2 ? ValidationResult.Error("--pool must be at least 2") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        var models = new Dictionary<string, TrainedModel>();
        try
        {
            foreach (var (key, dir) in new[] { ("viml", s.Viml), ("mvpt+", s.Mvpt), ("mt", s.Mt) })
                if (dir != null) models[key] = TrainedModel.Load(dir);
            using var encoder = EncoderRegistry.CreateTextEncoder(s.TextEncoder);
            var data = TrainingData.FromStore(s.Store, s.Texts, encoder, s.ValidationFraction, s.TestFraction);
            var storeSpec = Viml.Features.FeatureSpec.FromMetadata(data.Encoders, s.Store);
            foreach (var (key, dir) in new[] { ("viml", s.Viml), ("mvpt+", s.Mvpt), ("mt", s.Mt) })
                if (dir != null)
                    Viml.Features.FeatureSpec.RefuseRecorded(Checkpoint.ReadMetadata(dir), storeSpec, $"checkpoint {dir}",
                        $"the feature store {s.Store}", "evaluate on features made as the model's were");
            var report = AnsiConsole.Status().Start("evaluating ...", _ =>
            {
                var level = s.Level == "clip" ? Training.Level.Clip : Training.Level.Track;
                int pool = s.Pool ?? (level == Training.Level.Clip ? RetrievalProtocol.ClipPool : RetrievalProtocol.TrackPool);
                return Evaluator.Evaluate(models, data, new Evaluator.Options(pool, s.Seed, s.Texts, s.Split, level));
            });
            AtomicFile.WriteAllText(s.Out + ".json", report.ToJson());
            AtomicFile.WriteAllText(s.Out + ".md", report.ToMarkdown());
            Console.WriteLine(report.ToMarkdown());
            AnsiConsole.MarkupLine(Markup.Escape($"wrote {s.Out}.json and {s.Out}.md"));
            return 0;
        }
        finally { foreach (var m in models.Values) m.Dispose(); }
    }
}
