using TorchSharp;
using Viml.Metrics;
using Viml.Model;
using Viml.Torch;
using static TorchSharp.torch;

namespace Viml.Training;

/// <summary>One finished epoch: mean training loss and validation Recall@10 (%) of the model's main
/// query (ViML: video + text, MVPt+: video, MT: text) and, for ViML, of video alone.</summary>
public sealed record EpochRecord(int Epoch, double Loss, double ValidationR10, double? ValidationR10VideoOnly, double LearningRate);

/// <summary>Where training is: epoch and step, running loss; validation once the epoch is done.</summary>
public sealed record TrainProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, EpochRecord? Finished = null)
{
    /// <summary>Items per step (for a rate in items per second).</summary>
    public int BatchSize { get; init; }
}

/// <summary>What a run left: <see cref="ValidationChooses"/> is false when the validation pools hold 10 items or
/// fewer, so that R@10 is 100 % for any model and cannot tell epochs apart (best/ then follows last/).</summary>
public sealed record TrainResult(string BestDir, string LastDir, string PlotPath, IReadOnlyList<EpochRecord> History, int BestEpoch, bool Resumed,
    bool ValidationChooses = true, int ValidationPool = 0)
{
    /// <summary>Audio-only items left out because the model's query is a video (0 for MT).</summary>
    public int SkippedAudioOnly { get; init; }
}

/// <summary>
/// Trains a <see cref="VimlModel"/> with AdamW, warm-up + decay, validation R@10 after every epoch,
/// best and last checkpoints (see <see cref="RunFolder"/>). Deterministic for a seed: epoch e shuffles
/// and draws text dropout / texts / Transformer dropout from generators seeded by (seed, e), so a run
/// resumed after a kill continues exactly as if it had never stopped.
/// </summary>
public static class Trainer
{
    public static TrainResult Train(TrainConfig c, TrainingData data, IProgress<TrainProgress>? progress = null, CancellationToken ct = default)
    {
        c = c with { Model = c.Model with { VideoDimension = data.VideoDimension, MusicDimension = data.MusicDimension, TextDimension = data.TextDimension } };
        c.Validate();
        int audioOnly = c.Model.UsesVideo ? data.AudioOnly : 0;
        if (audioOnly > 0)
        {
            data = data.WithVideoOnly(); // a video model cannot learn from an item without a picture
            if (data.Train.Count < 2 || data.Validation.Count < 2)
                throw new InvalidInputException($"{c.Store}: {audioOnly} items are audio only (no video stream) and {c.Model.Variant} "
                    + $"needs a video; {data.Train.Count} train / {data.Validation.Count} val items with video remain. "
                    + "Train MT (model.variant: mt) on audio-only items, or add music videos.");
        }
        if (data.Train.Count < 2) throw new InvalidInputException($"{c.Store}: {data.Train.Count} training items; need at least 2");
        if (data.Validation.Count < 2) throw new InvalidInputException($"{c.Store}: {data.Validation.Count} validation items; need at least 2 (raise validation_fraction)");
        TorchRuntime.Initialise(c.Threads);
        var run = RunFolder.Open(c);

        torch.manual_seed(c.Seed);
        var model = new VimlModel(c.Model);
        model.TextDropoutModule.SetNull(c.Model.TextDropoutValue == TextDropoutValue.EmptyString ? data.EmptyText : new float[data.TextDimension]);
        var (optimizer, scales) = Optimizer(model, c);
        using var _ = optimizer;
        var history = run.Resume(model, optimizer);
        bool resumed = history.Count > 0;
        int pool = Math.Min(c.ValidationPool, data.Validation.Count);
        bool chooses = ValidationChooses(pool);

        int steps = Math.Max(1, data.Train.Count / c.BatchSize), batch = Math.Min(c.BatchSize, data.Train.Count);
        for (int epoch = history.Count + 1; epoch <= c.Epochs; epoch++)
        {
            torch.manual_seed(c.Seed * 100_003L + epoch);
            var rng = new Random(c.Seed * 100_003 + epoch);
            var order = Enumerable.Range(0, data.Train.Count).OrderBy(_ => rng.Next()).ToArray();
            double lr = 0, total = 0;
            model.train();
            for (int s = 0; s < steps; s++)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                lr = c.LearningRateAt((long)(epoch - 1) * steps + s, (long)steps * c.Epochs);
                foreach (var (g, scale) in optimizer.ParamGroups.Zip(scales)) g.LearningRate = lr * scale;
                var items = order.Skip(s * batch).Take(batch).Select(i => data.Train[i]);
                if (c.Level == Level.Clip) items = items.Select(i => ClipWindows.Draw(i, rng));
                var loss = model.forward(MakeBatch(items.ToList(), rng, model));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                total += FiniteGuard.Loss(loss.item<float>(), run.Root, epoch, s + 1, lr);
                progress?.Report(new TrainProgress(epoch, c.Epochs, s + 1, steps, total / (s + 1)) { BatchSize = batch });
            }
            var (main, videoOnly) = Validate(model, data.Validation, c);
            var record = new EpochRecord(epoch, total / steps, main, videoOnly, lr);
            history.Add(record);
            run.SaveEpoch(model, optimizer, history, data.Encoders, chooses);
            progress?.Report(new TrainProgress(epoch, c.Epochs, steps, steps, record.Loss, record) { BatchSize = batch });
        }
        model.Dispose();
        return new TrainResult(run.BestDir, run.LastDir, run.PlotPath, history, RunFolder.BestEpoch(history, chooses), resumed,
            chooses, pool)
        {
            SkippedAudioOnly = audioOnly,
        };
    }

    /// <summary>AdamW over all parameters, or two groups (the rest, the text encoder) when the text branch has its own
    /// learning rate; each group's rate is the schedule's times its scale, and every group has the config's weight
    /// decay (a group made with only a rate would get none).</summary>
    internal static (OwnedScalarAdamW Optimizer, double[] Scales) Optimizer(VimlModel model, TrainConfig c)
    {
        if (c.TextLearningRate is not double text || !c.Model.UsesText)
            return (new OwnedScalarAdamW(model.parameters(), c.LearningRate, c.WeightDecay), new[] { 1.0 });
        var all = model.named_parameters().ToList();
        var groups = new[]
        {
            new TorchSharp.Modules.AdamW.ParamGroup(all.Where(p => !p.name.StartsWith("text.")).Select(p => p.parameter), c.LearningRate,
                weight_decay: c.WeightDecay),
            new TorchSharp.Modules.AdamW.ParamGroup(all.Where(p => p.name.StartsWith("text.")).Select(p => p.parameter), text,
                weight_decay: c.WeightDecay),
        };
        return (new OwnedScalarAdamW(groups, c.LearningRate, c.WeightDecay), new[] { 1.0, text / c.LearningRate });
    }

    /// <summary>Whether validation R@10 in pools of <paramref name="pool"/> items can tell models apart: in a pool
    /// of 10 or fewer the true item always ranks within 10.</summary>
    public static bool ValidationChooses(int pool) => pool > 10;

    /// <summary>A batch of items: one of each item's texts at random (none -> x^null).</summary>
    public static Batch MakeBatch(IReadOnlyList<TrainingItem> items, Random rng, VimlModel model)
    {
        var (video, padding) = Batching.Pad(items.Select(i => i.Video).ToList(), model.Config.VideoDimension, "video");
        var (music, musicPadding) = Batching.Pad(items.Select(i => i.Music).ToList(), model.Config.MusicDimension, "music");
        var texts = items.Select(i => i.Texts.Length == 0 ? null : i.Texts[rng.Next(i.Texts.Length)]).ToList();
        return new Batch(video, music, padding, Batching.Texts(texts, model.TextDropoutModule.Null, model.Config.TextDimension))
        {
            MusicPadding = musicPadding,
        };
    }

    /// <summary>Validation R@10 (%) in pools of N (of clips at clip level): the main query, and video alone for ViML.</summary>
    static (double Main, double? VideoOnly) Validate(VimlModel model, IReadOnlyList<TrainingItem> items, TrainConfig c)
    {
        items = ClipWindows.AtLevel(items, c.Level);
        var embedder = TrainedModel.From(model);
        var music = embedder.EmbedMusicBatch(items.Select(i => i.Music).ToList());
        var videos = items.Select(i => i.Video).ToList();
        double R10(IReadOnlyList<float[]?> texts) =>
            RetrievalProtocol.Evaluate(embedder.EmbedQueries(videos, texts), music, c.ValidationPool, c.Seed).R10;
        var firstTexts = items.Select(i => i.Texts.FirstOrDefault()).ToList();
        double main = R10(firstTexts);
        double? videoOnly = c.Model.Variant == Variant.Viml ? R10(new float[]?[items.Count]) : null;
        return (main, videoOnly);
    }
}
