using Viml.Evaluation;

namespace Viml.Tests.Evaluation;

public class ClaimTestTests
{
    [Fact]
    public void The_interval_is_the_mean_plus_minus_t_times_the_standard_error()
    {
        var s = SeedInterval.Of(new[] { 1.0, 2.0, 3.0 });
        Assert.Equal(2.0, s.Mean, 9);
        Assert.Equal(1.0, s.Sd, 9);
        Assert.Equal(2.0 - 4.303 / Math.Sqrt(3), s.Low, 6);
        Assert.Equal(2.0 + 4.303 / Math.Sqrt(3), s.High, 6);
        Assert.True(double.IsInfinity(SeedInterval.Of(new[] { 5.0 }).High));
    }

    [Theory]
    [InlineData(new[] { 12.0, 13.0, 14.0 }, 10, Verdict.Holds)]        // 13 ± 2.5 lies above 10
    [InlineData(new[] { 9.0, 13.0, 17.0 }, 10, Verdict.NotSettled)]    // 13 ± 9.9 straddles 10
    [InlineData(new[] { 2.0, 3.0, 4.0 }, 10, Verdict.DoesNotHold)]     // 3 ± 2.5 lies below 10
    [InlineData(new[] { 30.0 }, 10, Verdict.NotSettled)]               // one seed settles nothing
    public void A_difference_holds_only_when_its_whole_interval_clears_the_bound(double[] diffs, double bound, Verdict expected) =>
        Assert.Equal(expected, ClaimTest.Above("d", diffs, bound).Verdict);

    [Theory]
    [InlineData(new[] { -1.0, 0.0, 1.0 }, Verdict.Holds)]
    [InlineData(new[] { 5.0, 6.0, 7.0 }, Verdict.DoesNotHold)]
    [InlineData(new[] { 0.0, 3.0, 6.0 }, Verdict.NotSettled)]
    public void Within_claims_need_the_interval_inside_the_band(double[] diffs, Verdict expected) =>
        Assert.Equal(expected, ClaimTest.WithinOf("d", diffs, 3).Verdict);

    [Fact]
    public void A_claim_fails_on_any_failed_test_and_holds_only_when_all_hold()
    {
        var hold = ClaimTest.Above("a", new[] { 5.0, 5.1, 5.2 }, 0);
        var fail = ClaimTest.Above("b", new[] { -5.0, -5.1, -5.2 }, 0);
        var open = ClaimTest.Above("c", new[] { -5.0, 0.0, 5.0 }, 0);
        Assert.Equal(Verdict.Holds, ClaimTest.All(new[] { hold, hold }));
        Assert.Equal(Verdict.DoesNotHold, ClaimTest.All(new[] { hold, open, fail }));
        Assert.Equal(Verdict.NotSettled, ClaimTest.All(new[] { hold, open }));
    }
}
