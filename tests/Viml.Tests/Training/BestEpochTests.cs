using Viml.Training;

namespace Viml.Tests.Training;

public class BestEpochTests
{
    static readonly List<EpochRecord> History =
    [
        new(1, 2.0, 100, 100, 1e-4),
        new(2, 1.5, 100, 100, 1e-4),
        new(3, 1.2, 100, 100, 1e-4),
    ];

    [Fact]
    public void With_informative_validation_the_earliest_of_tied_epochs_is_best()
    {
        Assert.Equal(1, RunFolder.BestEpoch(History));
        Assert.Equal(2, RunFolder.BestEpoch([new(1, 2, 40, null, 1), new(2, 1, 60, null, 1), new(3, 1, 50, null, 1)]));
    }

    [Fact]
    public void When_validation_pools_hold_ten_items_or_fewer_best_follows_the_last_epoch()
    {
        Assert.False(Trainer.ValidationChooses(6));
        Assert.False(Trainer.ValidationChooses(10));
        Assert.True(Trainer.ValidationChooses(11));
        Assert.Equal(3, RunFolder.BestEpoch(History, validationChooses: false));
    }
}
