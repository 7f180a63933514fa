using TorchSharp;
using static TorchSharp.torch;

namespace Viml.Torch;

/// <summary>
/// Tensor arithmetic with a plain number whose native Scalar is held until libtorch has returned.
/// TorchSharp turns a number into a <see cref="Scalar"/> that only its finalizer frees and hands libtorch
/// nothing but the Scalar's address; once that address is read the Scalar is unreachable, so a collection
/// on another thread can free it while libtorch still reads it (measured: "Expected false to be true" /
/// "Unknown scalar type" from the Scalar's tag, or a garbage value such as a clamp bound near 0 that lets
/// log10(0) = -inf through and turns into NaN tags). Viml never passes a bare number to a tensor operation:
/// it goes through these, which dispose the Scalar after the call and so keep it alive during it. TorchSharp's
/// <c>a + b</c> of two tensors passes an implicit alpha of 1 the same way: use <see cref="Plus"/>.
/// </summary>
public static class OwnedScalars
{
    /// <summary>alpha = 1 for additions, rooted for the life of the process (never finalized).</summary>
    static readonly Scalar One = 1.ToScalar();

    /// <summary><c>a + b</c> with an owned alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);
    /// <summary><c>a += b</c> with an owned alpha.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);
    public static Tensor Mul(this Tensor t, double value) { using var s = value.ToScalar(); return t.mul(s); }
    public static Tensor MulInPlace(this Tensor t, double value) { using var s = value.ToScalar(); return t.mul_(s); }
    public static Tensor Div(this Tensor t, double value) { using var s = value.ToScalar(); return t.div(s); }
    public static Tensor DivInPlace(this Tensor t, double value) { using var s = value.ToScalar(); return t.div_(s); }
    public static Tensor Add(this Tensor t, double value) { using var s = value.ToScalar(); return t.add(s, One); }
    public static Tensor AddInPlace(this Tensor t, double value) { using var s = value.ToScalar(); return t.add_(s, One); }
    /// <summary><c>arange(start, stop, step)</c> with its three Scalars owned.</summary>
    public static Tensor Range(long start, long stop, long step, ScalarType dtype, Device device)
    {
        using Scalar a = start.ToScalar(), b = stop.ToScalar(), c = step.ToScalar();
        return arange(a, b, c, dtype, device);
    }

    public static Tensor ClampMin(this Tensor t, double min) { using var s = min.ToScalar(); return t.clamp_min(s); }
    public static Tensor Below(this Tensor t, double value) { using var s = value.ToScalar(); return t.lt(s); }
}
