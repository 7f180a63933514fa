using System.Numerics;
using System.Runtime.InteropServices;

namespace Viml.Training;

/// <summary>
/// One AdamW step of one parameter in a single pass over its memory: the decoupled decay, both moments, the
/// bias-corrected denominator and the update, element by element, in float as libtorch's CPU kernels compute
/// them (constants rounded to float, the same order of operations):
/// <code>
///   p = p * keep                       keep = 1 - lr * decay
///   m = m * b1 + (1 - b1) * g
///   v = v * b2 + (1 - b2) * g * g
///   p = p + (step * m) / (sqrt(v) / root2 + eps)     step = -lr / (1 - b1^t), root2 = sqrt(1 - b2^t)
/// </code>
/// The op-by-op form reads and writes the parameter-sized buffers about nine times a step; this reads p, g, m, v
/// once and writes p, m, v once, so the step costs about a third of the memory traffic.
/// </summary>
public readonly record struct AdamWCoefficients(float Keep, float Beta1, float OneMinusBeta1, float Beta2,
    float OneMinusBeta2, float Root2, float Epsilon, float StepSize)
{
    /// <summary>The constants of step <paramref name="step"/> (1-based) at learning rate <paramref name="lr"/>.</summary>
    public static AdamWCoefficients At(long step, double lr, double decay, double beta1, double beta2, double eps) =>
        new((float)(1 - lr * decay), (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
            (float)Math.Sqrt(1 - Math.Pow(beta2, step)), (float)eps, (float)(-lr / (1 - Math.Pow(beta1, step))));
}

public static class AdamWKernel
{
    /// <summary>Updates <paramref name="p"/>, <paramref name="m"/> and <paramref name="v"/> in place from the gradient.</summary>
    public static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in AdamWCoefficients c)
    {
        int n = p.Length;
        if (g.Length != n || m.Length != n || v.Length != n)
            throw new ArgumentException($"AdamW buffers differ in length: p {n}, g {g.Length}, m {m.Length}, v {v.Length}");
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vp = MemoryMarshal.Cast<float, Vector<float>>(p);
            var vg = MemoryMarshal.Cast<float, Vector<float>>(g);
            var vm = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            Vector<float> keep = new(c.Keep), b1 = new(c.Beta1), ob1 = new(c.OneMinusBeta1), b2 = new(c.Beta2),
                ob2 = new(c.OneMinusBeta2), root2 = new(c.Root2), eps = new(c.Epsilon), step = new(c.StepSize);
            for (int k = 0; k < vp.Length; k++)
            {
                var grad = vg[k];
                var m1 = vm[k] * b1 + ob1 * grad;
                var v1 = vv[k] * b2 + ob2 * grad * grad;
                var denom = Vector.SquareRoot(v1) / root2 + eps;
                vp[k] = vp[k] * keep + step * m1 / denom;
                vm[k] = m1;
                vv[k] = v1;
            }
            i = vp.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            float grad = g[i];
            float m1 = m[i] * c.Beta1 + c.OneMinusBeta1 * grad;
            float v1 = v[i] * c.Beta2 + c.OneMinusBeta2 * grad * grad;
            float denom = MathF.Sqrt(v1) / c.Root2 + c.Epsilon;
            p[i] = p[i] * c.Keep + c.StepSize * m1 / denom;
            m[i] = m1;
            v[i] = v1;
        }
    }
}
