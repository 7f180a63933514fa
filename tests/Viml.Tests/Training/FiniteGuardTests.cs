using TorchSharp;
using Viml.Model;
using Viml.Evaluation;
using Viml.Tests.Model;
using Viml.Torch;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Tests.Training;

[Collection(TorchRandom.Name)]
public class FiniteGuardTests
{
    /// <summary>A run that goes non-finite stops at that step with the run named, and leaves no checkpoint at all.</summary>
    [Fact]
    public void A_run_whose_loss_turns_NaN_stops_at_that_step_and_writes_no_checkpoint()
    {
        var data = new SyntheticBenchmark(new SyntheticConfig { Train = 32, Validation = 8, Test = 8, MinSegments = 2, MaxSegments = 3,
            VideoDimension = 12, MusicDimension = 10, TextDimension = 8 }).ToTrainingData(new SyntheticTextEncoder(8));
        data.Train[5].Video[0][3] = float.PositiveInfinity;     // what an overflowing step makes of a weight, fed in directly
        string output = Path.Combine(Path.GetTempPath(), "viml-diverge-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new TrainConfig
            {
                Store = "synthetic", Output = output, BatchSize = 8, Epochs = 2, LearningRate = 1e-3, ValidationPool = 8, Seed = 1, Threads = 1,
                Model = new ModelConfig { Dimension = 16, Heads = 2, FeedForward = 32, FusionHidden = 24 },
            };
            var e = Assert.Throws<TrainingDivergedException>(() => Trainer.Train(config, data));
            Assert.Contains($"{output}: training diverged: the loss is NaN at epoch 1", e.Message);
            foreach (var left in new[] { "last", "best", ".last.new" }) Assert.False(Directory.Exists(Path.Combine(output, left)), left);
        }
        finally { if (Directory.Exists(output)) Directory.Delete(output, true); }
    }

    [Fact]
    public void A_non_finite_loss_stops_the_run_naming_epoch_step_and_what_to_change()
    {
        Assert.Equal(0.5, FiniteGuard.Loss(0.5, "run", 1, 1, 1e-3));
        var e = Assert.Throws<TrainingDivergedException>(() => FiniteGuard.Loss(double.NaN, "/runs/x", 3, 7, 0.5));
        Assert.Contains("/runs/x: training diverged", e.Message);
        Assert.Contains("epoch 3, step 7", e.Message);
        Assert.Contains("lower learning_rate", e.Message);
        Assert.Equal(2, Viml.Cli.ExitCodes.For(e));
    }

    /// <summary>What 1e308 as a learning rate did: an epoch of NaN weights saved as best/, then a crash leaving .last.new.
    /// Now nothing is written and the error names the first weight that is not a number.</summary>
    [Fact]
    public void An_epoch_whose_weights_hold_NaN_is_never_saved()
    {
        var dir = Directory.CreateTempSubdirectory("viml-nan-").FullName;
        try
        {
            TorchRuntime.Initialise(1);
            var config = new TrainConfig { Output = dir, Model = Viml.Tests.Hostile.HostileWorld.TinyModel };
            var run = RunFolder.Open(config);
            using var model = new VimlModel(config.Model);
            using var optimizer = torch.optim.AdamW(model.parameters(), 1e-3);
            using (torch.no_grad()) model.parameters().First().fill_(double.NaN);
            var history = new List<EpochRecord> { new(1, double.NaN, 10, null, 1e-3) };
            var e = Assert.Throws<TrainingDivergedException>(() => run.SaveEpoch(model, optimizer, history));
            Assert.Contains("NaN or infinite after epoch 1", e.Message);
            Assert.False(Directory.Exists(run.LastDir));
            Assert.False(Directory.Exists(run.BestDir));
            Assert.False(Directory.Exists(Path.Combine(dir, ".last.new")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
