using Viml.Evaluation;
using Viml.Model;
using Viml.Training;
using Viml.Tests.Model;
using Viml.Encoders;

namespace Viml.Tests.Training;

[Collection(TorchRandom.Name)]
public class TrainerTests
{
    static readonly SyntheticConfig TinyData = new() { Train = 64, Validation = 16, Test = 16, MinSegments = 2, MaxSegments = 5, VideoDimension = 12, MusicDimension = 10, TextDimension = 8 };

    static TrainingData Data() => new SyntheticBenchmark(TinyData).ToTrainingData(new SyntheticTextEncoder(8));

    static TrainConfig Config(string output) => new()
    {
        Store = "synthetic", Output = output, BatchSize = 16, Epochs = 3, LearningRate = 1e-3, ValidationPool = 16, Seed = 5, Threads = 1,
        Model = new ModelConfig { Dimension = 16, Heads = 2, FeedForward = 32, FusionHidden = 24 },
    };

    static string TempDir() => Path.Combine(Path.GetTempPath(), "viml-train-" + Guid.NewGuid().ToString("N"));

    sealed class Stopper(CancellationTokenSource cts, int epoch, int step) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress p) { if (p.Epoch == epoch && p.Step == step && p.Finished is null) cts.Cancel(); }
    }

    [Fact]
    public void A_run_killed_mid_epoch_resumes_to_the_same_weights_as_an_uninterrupted_run()
    {
        var data = Data();
        string a = TempDir(), b = TempDir();
        try
        {
            var straight = Trainer.Train(Config(a), data);
            Assert.Equal(3, straight.History.Count);
            Assert.True(File.Exists(Path.Combine(a, "training.png")));
            Assert.True(File.Exists(Path.Combine(a, "best", "model.safetensors")) && File.Exists(Path.Combine(a, "best", "config.json")));

            using var cts = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Train(Config(b), data, new Stopper(cts, epoch: 2, step: 2), cts.Token));
            var state = System.Text.Json.JsonSerializer.Deserialize<List<EpochRecord>>(File.ReadAllText(Path.Combine(b, "last", "state.json")), ModelConfig.Json)!;
            Assert.Single(state); // epoch 1 kept, the unfinished epoch 2 lost
            var resumed = Trainer.Train(Config(b), data);
            Assert.True(resumed.Resumed);

            Assert.Equal(straight.History.Select(h => h.Loss), resumed.History.Select(h => h.Loss));
            var wa = Viml.IO.SafeTensors.Load(Path.Combine(a, "last", "model.safetensors")).Tensors;
            var wb = Viml.IO.SafeTensors.Load(Path.Combine(b, "last", "model.safetensors")).Tensors;
            Assert.Equal(wa.Keys.Order(), wb.Keys.Order());
            foreach (var k in wa.Keys) Assert.Equal(wa[k].Data, wb[k].Data);
        }
        finally
        {
            foreach (var d in new[] { a, b }) if (Directory.Exists(d)) Directory.Delete(d, true);
        }
    }

    [Fact]
    public void A_folder_holding_another_runs_config_is_refused()
    {
        var data = Data();
        string dir = TempDir();
        try
        {
            var names = new Dictionary<string, string> { [EncoderNames.Video] = "resnet18", [EncoderNames.Music] = "musicnn", [EncoderNames.Text] = "minilm" };
            Trainer.Train(Config(dir) with { Epochs = 1 }, data with { Encoders = names });
            foreach (var sub in new[] { "best", "last" })   // the checkpoints name the encoders their features came from
            {
                var meta = Checkpoint.ReadMetadata(Path.Combine(dir, sub));
                foreach (var (k, v) in names) Assert.Equal(v, meta[k]);
                Assert.Equal("1", meta["epoch"]);
            }
            var e = Assert.Throws<ConfigException>(() => Trainer.Train(Config(dir) with { Epochs = 1, LearningRate = 5e-3 }, data));
            Assert.Contains("train_config.json", e.Message);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Learning_rate_warms_up_linearly_then_decays_to_zero()
    {
        var c = new TrainConfig { LearningRate = 1e-3, Warmup = 0.1 };
        Assert.Equal(1e-4, c.LearningRateAt(0, 100), 12);
        Assert.Equal(1e-3, c.LearningRateAt(9, 100), 12);
        Assert.Equal(0.5e-3, c.LearningRateAt(55, 100), 12);   // half-way through the cosine
        Assert.True(c.LearningRateAt(99, 100) < 1e-6);
        Assert.Equal(0.5e-3, (c with { Decay = Decay.Linear }).LearningRateAt(55, 100), 12);
    }

    [Fact]
    public void Bad_configs_are_refused_with_the_field_named()
    {
        Assert.Contains("batch_size", Assert.Throws<ConfigException>(() => new TrainConfig { BatchSize = 1 }.Validate()).Message);
        Assert.Contains("text_dropout", Assert.Throws<ConfigException>(() => new TrainConfig { Model = new ModelConfig { TextDropout = 1.5 } }.Validate()).Message);
        string path = Path.Combine(Path.GetTempPath(), $"viml-cfg-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"epochs\": \"many\" }");
        try { Assert.Contains(path, Assert.Throws<ConfigException>(() => TrainConfig.Read(path)).Message); }
        finally { File.Delete(path); }
    }
}
