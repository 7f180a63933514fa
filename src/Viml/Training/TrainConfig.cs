using System.Text.Json;
using System.Text.Json.Serialization;
using Viml.Model;

namespace Viml.Training;

/// <summary>Learning-rate decay after the warm-up.</summary>
public enum Decay { Cosine, Linear }

/// <summary>
/// A training run: the data, the <see cref="ModelConfig"/>, and the optimisation. Defaults follow
/// MVPt's recipe in spirit (AdamW, linear warm-up, cosine decay, large batches so InfoNCE sees many
/// negatives); the paper does not print learning rate, batch size or epochs, so these are ours.
/// Read from JSON (snake_case), e.g. <c>{"store": "features", "texts": "tags", "model": {"variant": "viml"}}</c>.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>Feature store folder (paths in a config file are relative to the file).</summary>
    public string Store { get; init; } = "";
    /// <summary>Text approach: reads <c>&lt;store&gt;/texts/&lt;texts&gt;.jsonl</c>.</summary>
    public string Texts { get; init; } = "tags";
    /// <summary>Sentence encoder that embeds the texts: "minilm" (all-MiniLM-L6-v2, 384-d) or "synthetic" (the benchmark's bag of words).</summary>
    public string TextEncoder { get; init; } = "minilm";
    /// <summary>Output folder: <c>best/</c>, <c>last/</c>, <c>training.png</c>, <c>train_config.json</c>.</summary>
    public string Output { get; init; } = "runs/viml";
    public ModelConfig Model { get; init; } = new();
    public int BatchSize { get; init; } = 256;
    public int Epochs { get; init; } = 50;
    public double LearningRate { get; init; } = 1e-4;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Peak learning rate of the text encoder f^t alone (null = <see cref="LearningRate"/>); it follows the same schedule.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TextLearningRate { get; init; }
    /// <summary>Fraction of all steps spent warming the learning rate up linearly from 0.</summary>
    public double Warmup { get; init; } = 0.05;
    public Decay Decay { get; init; } = Decay.Cosine;
    public int Seed { get; init; }
    /// <summary>Share of items held out for validation / test when the store does not name a split.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    public double TestFraction { get; init; } = 0.1;
    /// <summary>Pool size N of the per-epoch validation R@10 (capped by the validation set size).</summary>
    public int ValidationPool { get; init; } = 2000;
    /// <summary>
    /// Track (whole items) or clip: each step draws one clip of every item (a 10-s music segment with the 30-s
    /// video around it, see <see cref="ClipWindows"/>), and validation ranks each item's evaluation clip.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Level Level { get; init; } = Level.Track;
    /// <summary>
    /// Stream items from the store's memory-mapped pack (<c>packed.safetensors</c>, built on first use) instead of
    /// loading every item into memory: for stores larger than the memory.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Stream { get; init; }
    /// <summary>Intra-op threads (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>Largest accepted learning_rate and weight_decay.</summary>
    public const double MaxLearningRate = 1, MaxWeightDecay = 1;

    public TrainConfig Validate(string source = "train config")
    {
        void Need(bool ok, string what) { if (!ok) throw new ConfigException($"{source}: {what}"); }
        Need(BatchSize >= 2, $"batch_size must be at least 2 (InfoNCE needs negatives), got {BatchSize}");
        Need(Epochs >= 1, $"epochs must be at least 1, got {Epochs}");
        // Finite and sensible: 1e400 reads as infinity, and a learning rate or decay far above these turns every
        // weight into NaN or infinity within a step (AdamW scales each weight by 1 - learning_rate * weight_decay).
        Need(LearningRate is > 0 and <= MaxLearningRate, $"learning_rate must be in (0, {MaxLearningRate}], got {LearningRate}");
        Need(TextLearningRate is null or (> 0 and <= MaxLearningRate), $"text_learning_rate must be in (0, {MaxLearningRate}], got {TextLearningRate}");
        Need(WeightDecay is >= 0 and <= MaxWeightDecay, $"weight_decay must be in [0, {MaxWeightDecay}], got {WeightDecay}");
        Need(ThreadCount.Problem(Threads) is null, $"threads {ThreadCount.Problem(Threads)}");
        Need(Warmup is >= 0 and < 1, $"warmup must be in [0, 1), got {Warmup}");
        Need(ValidationFraction is > 0 and < 1 && TestFraction is >= 0 and < 1 && ValidationFraction + TestFraction < 1, "validation_fraction + test_fraction must be below 1");
        Need(ValidationPool >= 2, "validation_pool must be at least 2");
        Model.Validate(source + " (model)");
        return this;
    }

    /// <summary>The learning rate at a step: linear warm-up to <see cref="LearningRate"/>, then decay to 0.</summary>
    public double LearningRateAt(long step, long totalSteps)
    {
        long warm = (long)Math.Ceiling(Warmup * totalSteps);
        if (step < warm) return LearningRate * (step + 1) / warm;
        double t = (double)(step - warm) / Math.Max(1, totalSteps - warm);
        return Decay == Decay.Cosine ? LearningRate * 0.5 * (1 + Math.Cos(Math.PI * t)) : LearningRate * (1 - t);
    }

    public static TrainConfig Read(string path)
    {
        if (IO.InputFile.Problem(path) is { } problem) throw new ConfigException($"{path}: {problem}");
        if (!File.Exists(path)) throw new ConfigException($"{path}: no such config file");
        TrainConfig? c;
        try { c = JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), ModelConfig.Json); }
        catch (JsonException e) { throw new ConfigException($"{path}: malformed ({e.Message})", e); }
        if (c is null) throw new ConfigException($"{path}: empty");
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string p) => p.Length == 0 || Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(dir, p));
        return (c with { Store = Resolve(c.Store), Output = Resolve(c.Output) }).Validate(path);
    }
}
