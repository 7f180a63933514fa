namespace Viml.Evaluation;

/// <summary>What the seeds say about one comparison or one claim.</summary>
public enum Verdict { Holds, DoesNotHold, NotSettled }

/// <summary>
/// One comparison of a claim: a difference measured on each seed (paired: same seed, same pools) and the
/// bound the claim puts on it. It <b>holds</b> when the whole 95 % interval of the mean difference lies on the
/// claim's side of the bound, <b>does not hold</b> when the whole interval lies on the other side, and is
/// <b>not settled</b> when the interval straddles the bound (more seeds or queries would be needed).
/// <see cref="Within"/> claims |difference| &lt;= bound instead of difference &gt; bound.
/// </summary>
public sealed record ClaimTest(string What, SeedInterval Difference, double Bound, bool Within = false)
{
    public static ClaimTest Above(string what, IReadOnlyList<double> differences, double bound) =>
        new(what, SeedInterval.Of(differences), bound);

    public static ClaimTest WithinOf(string what, IReadOnlyList<double> differences, double bound) =>
        new(what, SeedInterval.Of(differences), bound, Within: true);

    public Verdict Verdict => Within
        ? Difference.Low >= -Bound && Difference.High <= Bound ? Verdict.Holds
          : Difference.High < -Bound || Difference.Low > Bound ? Verdict.DoesNotHold : Verdict.NotSettled
        : Difference.Low > Bound ? Verdict.Holds
          : Difference.High < Bound ? Verdict.DoesNotHold : Verdict.NotSettled;

    public string Claim => Within ? $"within ±{Bound:0.#}" : $"> {Bound:+0.#;-0.#;0}";

    /// <summary>All hold: holds; any fails: does not hold; otherwise not settled.</summary>
    public static Verdict All(IEnumerable<ClaimTest> tests)
    {
        var v = tests.Select(t => t.Verdict).ToList();
        return v.Contains(Verdict.DoesNotHold) ? Verdict.DoesNotHold : v.All(x => x == Verdict.Holds) ? Verdict.Holds : Verdict.NotSettled;
    }

    public static string Words(Verdict v) => v switch
    {
        Verdict.Holds => "holds",
        Verdict.DoesNotHold => "does NOT hold",
        _ => "not settled",
    };
}
