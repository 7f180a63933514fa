using Viml.Evaluation;
using Viml.Metrics;
using Viml.Training;

namespace Viml.Tests.Evaluation;

public class SplitScorerTests
{
    [Fact]
    public void An_ensemble_weight_is_tuned_toward_the_model_that_ranks_the_match_first()
    {
        var r = new Random(1);
        float[] Unit() { var v = Enumerable.Range(0, 8).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray(); var n = (float)Math.Sqrt(v.Sum(x => x * x)); return v.Select(x => x / n).ToArray(); }
        var music = Enumerable.Range(0, 100).Select(_ => Unit()).ToArray();
        var noise = Enumerable.Range(0, 100).Select(_ => Unit()).ToArray();
        var pools = RetrievalProtocol.SamplePools(100, 50, 0);
        var good = RetrievalProtocol.PoolScores(music, music, pools);
        var bad = RetrievalProtocol.PoolScores(noise, music, pools);
        var items = Enumerable.Range(0, 100).Select(i => new TrainingItem($"{i}", new[] { music[i] }, new[] { music[i] }, Array.Empty<float[]>())).ToList();
        var scorer = new SplitScorer(items, 50, 0);
        double a = scorer.TuneAlpha(bad, good);
        Assert.True(a >= 0.5, $"a = {a}");
        Assert.Equal(100.0, scorer.Metrics(RetrievalProtocol.Blend(bad, good, a)).R1);
    }
}
