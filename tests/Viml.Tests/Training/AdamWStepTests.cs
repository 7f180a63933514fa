using TorchSharp;
using TorchSharp.Modules;
using Viml.Torch;
using Viml.Training;
using Xunit;
using static TorchSharp.torch;

namespace Viml.Tests.Training;

/// <summary>
/// The one-pass AdamW step against AdamW written out in double precision (PyTorch's documented update with
/// decoupled weight decay), and against the op-by-op step, over a few steps with changing gradients, learning
/// rates and two parameter groups; one parameter spans several chunks so the threaded split is covered.
/// </summary>
public class AdamWStepTests
{
    const double Decay = 0.01;
    const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    static readonly long[][] Shapes = [[300, 301], [17], [5, 3]];

    /// <summary>Straightforward AdamW on one parameter: returns p after the given gradients.</summary>
    static double[] Reference(float[] start, IReadOnlyList<float[]> grads, IReadOnlyList<double> lrs)
    {
        var p = start.Select(x => (double)x).ToArray();
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (int t = 1; t <= grads.Count; t++)
        {
            double lr = lrs[t - 1];
            for (int i = 0; i < p.Length; i++)
            {
                double g = grads[t - 1][i];
                p[i] *= 1 - lr * Decay;
                m[i] = Beta1 * m[i] + (1 - Beta1) * g;
                v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(Beta1, t)), vHat = v[i] / (1 - Math.Pow(Beta2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + Eps);
            }
        }
        return p;
    }

    /// <summary>Runs <paramref name="steps"/> steps on fresh parameters (seeded) with two groups (the second at
    /// half the rate); returns the start values, the gradients drawn, the learning rates and the end values.</summary>
    static (float[][] Start, List<float[]>[] Grads, double[] Lrs, float[][] End) Run(bool fused, int steps, int threads)
    {
        TorchRuntime.Initialise(threads);
        using var scope = NewDisposeScope();
        var gen = new Random(7);
        float[] Draw(long n, double scale) =>
            Enumerable.Range(0, (int)n).Select(_ => (float)((gen.NextDouble() * 2 - 1) * scale)).ToArray();
        var ps = Shapes.Select(s => new Parameter(tensor(Draw(s.Aggregate(1L, (a, b) => a * b), 1), s))).ToArray();
        var start = ps.Select(p => p.data<float>().ToArray()).ToArray();
        var groups = new[]
        {
            new AdamW.ParamGroup(ps.Take(2), 1e-2, weight_decay: Decay),
            new AdamW.ParamGroup(ps.Skip(2), 5e-3, weight_decay: Decay),
        };
        using var opt = new OwnedScalarAdamW(groups, 1e-2, Decay) { Fused = fused };
        var options = (AdamW.Options)groups[0].Options;
        Assert.Equal((Beta1, Beta2, Eps, Decay),
            (options.beta1!.Value, options.beta2!.Value, options.eps!.Value, options.weight_decay!.Value));
        var grads = ps.Select(_ => new List<float[]>()).ToArray();
        var lrs = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            lrs[t] = 1e-2 * (t + 1) / steps;                       // a warm-up, as the trainer's schedule moves it
            opt.ParamGroups.First().LearningRate = lrs[t];
            opt.ParamGroups.Last().LearningRate = lrs[t] / 2;
            opt.zero_grad();
            Tensor? loss = null;
            for (int k = 0; k < ps.Length; k++)
            {
                var g = Draw(ps[k].numel(), t == 0 ? 1 : 3e-3 * (k + 1));   // gradients of very different sizes
                grads[k].Add(g);
                var term = (ps[k] * tensor(g, ps[k].shape)).sum();
                loss = loss is null ? term : loss.Plus(term);
            }
            loss!.backward();
            opt.step();
        }
        return (start, grads, lrs, ps.Select(p => p.data<float>().ToArray()).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void One_pass_step_matches_adamw_written_out(int threads)
    {
        var (start, grads, lrs, end) = Run(fused: true, steps: 5, threads);
        for (int k = 0; k < Shapes.Length; k++)
        {
            var groupLrs = k < 2 ? lrs : lrs.Select(l => l / 2).ToArray();
            var expected = Reference(start[k], grads[k], groupLrs);
            double moved = expected.Zip(start[k], (e, s) => Math.Abs(e - s)).Max();
            Assert.True(moved > 1e-3, $"parameter {k} hardly moved ({moved}): the comparison would prove nothing");
            double worst = expected.Zip(end[k], (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst < 2e-6, $"parameter {k}: worst difference {worst} from the written-out AdamW");
        }
    }

    [Fact]
    public void One_pass_step_equals_op_by_op_step_within_float_rounding()
    {
        var fused = Run(fused: true, steps: 4, threads: 2);
        var ops = Run(fused: false, steps: 4, threads: 2);
        for (int k = 0; k < Shapes.Length; k++)
        {
            Assert.Equal(ops.Start[k], fused.Start[k]);
            double worst = ops.End[k].Zip(fused.End[k], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-6, $"parameter {k}: one-pass and op-by-op steps differ by {worst}");
        }
    }

    [Fact]
    public void Kernel_rejects_buffers_of_different_lengths()
    {
        var c = AdamWCoefficients.At(1, 1e-3, Decay, Beta1, Beta2, Eps);
        var ex = Assert.Throws<ArgumentException>(
            () => AdamWKernel.Update(new float[8], new float[7], new float[8], new float[8], c));
        Assert.Contains("g 7", ex.Message);
    }
}
