using Viml.Metrics;

namespace Viml.Tests.Metrics;

public class RetrievalTests
{
    [Fact]
    public void Metrics_of_hand_made_ranks()
    {
        var m = RetrievalMetrics.FromRanks(new[] { 1, 2, 10, 11, 600 }, 2000);
        Assert.Equal((20.0, 40.0, 60.0, 10.0), (m.R1, m.R5, m.R10, m.MedianRank));
        Assert.Equal(2.5, RetrievalMetrics.FromRanks(new[] { 1, 2, 3, 7 }, 10).MedianRank);
        var chance = RetrievalMetrics.Chance(2000);
        Assert.Equal((0.05, 0.25, 0.5, 1000.0), (chance.R1, chance.R5, chance.R10, chance.MedianRank));
        Assert.Equal(250.0, RetrievalMetrics.Chance(500).MedianRank);
    }

    [Fact]
    public void Every_pool_holds_its_match_exactly_once_and_distinct_others()
    {
        var pools = RetrievalProtocol.SamplePools(50, 20, seed: 3);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(20, pools[i].Length);
            Assert.Equal(i, pools[i][0]);
            Assert.Equal(1, pools[i].Count(j => j == i));
            Assert.Equal(20, pools[i].Distinct().Count());
        }
        Assert.Equal(pools, RetrievalProtocol.SamplePools(50, 20, seed: 3));
        Assert.NotEqual(pools, RetrievalProtocol.SamplePools(50, 20, seed: 4));
        Assert.All(RetrievalProtocol.SamplePools(5, 2000, seed: 1), p => Assert.Equal(5, p.Length)); // fewer items than N: the pool is all
    }

    [Fact]
    public void Ranks_count_ties_against_the_match()
    {
        var ranks = RetrievalProtocol.Ranks(new[] { new[] { 0.9f, 0.1f, 0.95f }, new[] { 0.5f, 0.5f, 0.2f }, new[] { 1f, 0f, 0f } });
        Assert.Equal(new[] { 2, 2, 1 }, ranks);
    }

    [Fact]
    public void Evaluate_ranks_identical_embeddings_first_and_noise_far_behind()
    {
        var r = new Random(1);
        float[] Unit() { var v = Enumerable.Range(0, 8).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray(); var n = (float)Math.Sqrt(v.Sum(x => x * x)); return v.Select(x => x / n).ToArray(); }
        var music = Enumerable.Range(0, 100).Select(_ => Unit()).ToArray();
        var perfect = RetrievalProtocol.Evaluate(music, music, 50, 0);
        Assert.Equal((100.0, 1.0), (perfect.R1, perfect.MedianRank));
        var noise = Enumerable.Range(0, 100).Select(_ => Unit()).ToArray();
        var pools = RetrievalProtocol.SamplePools(100, 50, 0);
        var good = RetrievalProtocol.PoolScores(music, music, pools);
        var bad = RetrievalProtocol.PoolScores(noise, music, pools);
        Assert.True(RetrievalMetrics.FromRanks(RetrievalProtocol.Ranks(bad), 50).R1 < 20);
        Assert.Equal(100.0, RetrievalMetrics.FromRanks(RetrievalProtocol.Ranks(good), 50).R1);
    }
}
