using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Cli.Commands;

sealed class TrainCommand : Command<TrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-c|--config <FILE>"), Description("Training config JSON (store, texts, output, model, batch_size, epochs, ...). Paths are relative to the file.")]
        public string Config { get; init; } = "";
        [CommandOption("--threads <N>"), Description("CPU threads (default: the config's, 0 = all cores; 0-1024, at most 4 per core are started).")]
        public int? Threads { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrEmpty(Config) ? ValidationResult.Error("--config is required")
            : Threads is int t && ThreadCount.Problem(t) is { } p ? ValidationResult.Error($"--threads {p}")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellation)
    {
        var config = TrainConfig.Read(settings.Config);
        if (settings.Threads is int t) config = config with { Threads = t };
        using var encoder = EncoderRegistry.CreateTextEncoder(config.TextEncoder);
        Viml.Features.PackedFeatures? packed = null;
        TrainingData data;
        if (config.Stream)
            (data, packed) = AnsiConsole.Status().Start("checking the store's streaming pack (built on first use) ...", _ =>
                StreamedTrainingData.FromStore(config.Store, config.Texts, encoder, config.ValidationFraction, config.TestFraction));
        else
            data = TrainingData.FromStore(config.Store, config.Texts, encoder, config.ValidationFraction, config.TestFraction);
        using var _ = packed;
        AnsiConsole.MarkupLine(Markup.Escape($"{config.Model.Variant} on {config.Store}{(config.Level == Level.Clip ? " (clips)" : "")}: {data.Train.Count} train / {data.Validation.Count} val / {data.Test.Count} test items, texts '{config.Texts}' ({encoder.Name})"));
        var result = TrainingView.Run("train", p => Trainer.Train(config, data, p, cancellation));
        if (result.SkippedAudioOnly > 0)
            AnsiConsole.MarkupLine(Markup.Escape($"left out {result.SkippedAudioOnly} audio-only items ({config.Model.Variant} needs a video; MT uses them)"));
        var best = result.History.First(h => h.Epoch == result.BestEpoch);
        if (!result.ValidationChooses)
            AnsiConsole.MarkupLine(Markup.Escape($"validation cannot choose an epoch: in pools of {result.ValidationPool} items R@10 is 100% " +
                $"for any model, so best/ is the last epoch ({best.Epoch}) -> {result.BestDir}"));
        else
            AnsiConsole.MarkupLine(Markup.Escape($"{(result.Resumed ? "resumed; " : "")}best epoch {best.Epoch}: val R@10 {best.ValidationR10:0.00}% -> {result.BestDir}"));
        AnsiConsole.MarkupLine(Markup.Escape($"last: {result.LastDir}; plot: {result.PlotPath}"));
        return 0;
    }
}
