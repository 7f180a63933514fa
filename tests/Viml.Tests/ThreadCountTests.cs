namespace Viml.Tests;

public class ThreadCountTests
{
    [Fact]
    public void Thread_counts_are_refused_outside_0_to_1024_and_capped_at_four_per_core()
    {
        int cores = Environment.ProcessorCount;
        Assert.Equal(cores, ThreadCount.Resolve(0));
        Assert.Equal(1, ThreadCount.Resolve(1));
        Assert.Equal(Math.Min(1024, 4 * cores), ThreadCount.Resolve(1024));
        Assert.Contains("got 100000", Assert.Throws<ConfigException>(() => ThreadCount.Resolve(100000)).Message);
        Assert.Contains("got -5", Assert.Throws<ConfigException>(() => ThreadCount.Resolve(-5, "--threads")).Message);
        Assert.Null(ThreadCount.Problem(8));
    }
}
