using Viml.Rhythm;

namespace Viml.Tests.Rhythm;

public class RhythmAnalyzerTests
{
    [Theory]
    [InlineData(120)]
    [InlineData(92)]
    [InlineData(147)]
    public void A_click_track_gives_its_tempo_and_its_beats(double bpm)
    {
        var truth = Clicks.Times(bpm, 20);
        var r = RhythmAnalyzer.Analyse(Clicks.Render(truth, 20), Clicks.Rate);
        Assert.InRange(r.Bpm, bpm * 0.98, bpm * 1.02);
        Assert.True(BeatEvaluation.FMeasure(r.Beats, truth) >= 0.95, $"F {BeatEvaluation.FMeasure(r.Beats, truth):0.00}");
        Assert.InRange(r.Confidence, 0.2, 1);
    }

    [Fact]
    public void Bar_starts_are_the_accented_beats()
    {
        var truth = Clicks.Times(110, 20);
        var r = RhythmAnalyzer.Analyse(Clicks.Render(truth, 20), Clicks.Rate);
        var bars = truth.Where((_, i) => i % 4 == 0).ToArray();
        Assert.True(BeatEvaluation.FMeasure(r.Downbeats, bars) >= 0.9, string.Join(" ", r.Downbeats.Select(d => d.ToString("0.00"))));
    }

    [Fact]
    public void A_tempo_change_is_followed_by_the_beats()
    {
        var first = Clicks.Times(100, 12);
        var second = Clicks.Times(125, 24, first: first[^1] + 60 / 100.0);
        var truth = first.Concat(second).ToArray();
        var r = RhythmAnalyzer.Analyse(Clicks.Render(truth, 24), Clicks.Rate);
        Assert.True(BeatEvaluation.FMeasure(r.Beats, truth) >= 0.85, $"F {BeatEvaluation.FMeasure(r.Beats, truth):0.00}");
        Assert.InRange(r.BpmBetween(16, 24), 120, 130);
    }

    [Fact]
    public void Silence_has_no_beats_no_confidence_and_only_finite_numbers()
    {
        var r = RhythmAnalyzer.Analyse(new float[Clicks.Rate * 5], Clicks.Rate);
        Assert.Empty(r.Beats);
        Assert.Empty(r.Downbeats);
        Assert.Equal(0, r.Confidence);
        Assert.True(double.IsFinite(r.Bpm) && r.Energy.All(float.IsFinite));
        Assert.All(r.Energy, e => Assert.Equal(-100, e, 1));
    }

    [Fact]
    public void The_energy_curve_follows_loudness()
    {
        var pcm = new float[Clicks.Rate * 4];
        for (int i = Clicks.Rate * 2; i < pcm.Length; i++) pcm[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / Clicks.Rate));
        var r = RhythmAnalyzer.Analyse(pcm, Clicks.Rate);
        Assert.Equal(8, r.Energy.Length);
        Assert.InRange(r.EnergyBetween(2.5, 4), -10, -8);   // a 0.5 sine: RMS 0.354 = -9 dBFS
        Assert.True(r.EnergyBetween(0, 1.5) < -60);
    }

    [Fact]
    public void Beat_F_measure_counts_each_true_beat_once_within_70_ms()
    {
        double[] truth = [1, 2, 3, 4];
        Assert.Equal(1, BeatEvaluation.FMeasure([1.05, 2, 2.95, 4.06], truth), 6);
        Assert.Equal(2 * 0.5 * 1.0 / 1.5, BeatEvaluation.FMeasure([1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5], truth), 6);   // double time: P 0.5, R 1
        Assert.Equal(0, BeatEvaluation.FMeasure([1.08, 2.08], truth));
        Assert.True(BeatEvaluation.TempoCorrect(61, 120, octaves: true));
        Assert.False(BeatEvaluation.TempoCorrect(61, 120, octaves: false));
        Assert.False(BeatEvaluation.TempoCorrect(126, 120, octaves: true));
    }
}
