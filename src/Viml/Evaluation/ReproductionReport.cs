using System.Text;
using static Viml.Evaluation.Reproduction;

namespace Viml.Evaluation;

/// <summary>The claims of a <see cref="Reproduction"/> as Markdown: rows as mean ± sd over seeds beside the paper's,
/// then each comparison's mean difference with its 95 % interval and verdict.</summary>
public static class ReproductionReport
{
    public static string ToMarkdown(Result r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Synthetic benchmark, {r.Level.ToString().ToLowerInvariant()} level: {r.TestQueries} test queries, pools of {r.PoolSize} "
            + $"(chance R@1 {100.0 / r.PoolSize:0.00}, R@10 {1000.0 / r.PoolSize:0.0}, MR {r.PoolSize / 2}); seeds {string.Join(", ", r.Seeds)} "
            + $"(rows: mean ± sd over seeds; differences: mean [95 % interval]); total {r.Total:hh\\:mm\\:ss}.");
        foreach (var c in r.Claims)
        {
            sb.AppendLine().AppendLine(c.Tests.Count == 0 ? $"### {c.Title}" : $"### {c.Title}: {ClaimTest.Words(c.Verdict)} here").AppendLine();
            sb.AppendLine("| method | query | MR | R@1 | R@5 | R@10 | paper (" + c.PaperTable + ") |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---|");
            foreach (var l in c.Lines)
                sb.AppendLine($"| {l.Method} | {l.Query} | {l.Of(x => x.MedianRank).MeanSd("0.#")} | {l.Of(x => x.R1).MeanSd()} | "
                    + $"{l.Of(x => x.R5).MeanSd()} | {l.Of(x => x.R10).MeanSd()} | {l.Paper} |");
            if (c.Tests.Count > 0) sb.AppendLine();
            foreach (var t in c.Tests)
                sb.AppendLine($"- {t.What}: {t.Difference.Signed()} (claim: {t.Claim}): {ClaimTest.Words(t.Verdict)}");
        }
        sb.AppendLine().AppendLine("Training time per run: " + string.Join(", ", r.TrainTime.Select(t => $"{t.Key} {t.Value.TotalSeconds:0} s")));
        return sb.ToString();
    }
}
