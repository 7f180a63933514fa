using Viml.Model;
using Viml.Torch;
using Viml.Training;

namespace Viml.Tests.Training;

/// <summary>With its own text learning rate the optimizer has two groups; both keep the config's weight decay.</summary>
public class OptimizerGroupsTests
{
    [Fact]
    public void Both_groups_of_a_text_learning_rate_keep_the_weight_decay()
    {
        TorchRuntime.Initialise(1);
        using var model = new VimlModel(new ModelConfig { Dimension = 16, Heads = 2, Layers = 1, FeedForward = 32, FusionHidden = 24 });
        var c = new TrainConfig { LearningRate = 1e-3, WeightDecay = 0.05, TextLearningRate = 1e-2 };
        var (optimizer, scales) = Trainer.Optimizer(model, c);
        using var _ = optimizer;
        var groups = optimizer.ParamGroups.Cast<TorchSharp.Modules.AdamW.ParamGroup>().ToList();
        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.Equal(0.05, g.Options.weight_decay));
        Assert.Equal([1.0, 10.0], scales);
    }
}
