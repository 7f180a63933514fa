using TorchSharp;
using Viml.Model;
using Viml.Training;

namespace Viml.Tests.Training;

public class FiniteGuardTests
{
    [Fact]
    public void A_non_finite_loss_stops_the_run_naming_epoch_step_and_what_to_change()
    {
        Assert.Equal(0.5, FiniteGuard.Loss(0.5, "run", 1, 1, 1e-3));
        var e = Assert.Throws<TrainingDivergedException>(() => FiniteGuard.Loss(double.NaN, "/runs/x", 3, 7, 0.5));
        Assert.Contains("/runs/x: training diverged", e.Message);
        Assert.Contains("epoch 3, step 7", e.Message);
        Assert.Contains("lower learning_rate", e.Message);
        Assert.Equal(2, e.ExitCode);
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
