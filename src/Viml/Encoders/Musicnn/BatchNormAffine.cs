using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Viml.Encoders.Musicnn;

/// <summary>
/// An inference-mode batch norm as its per-channel affine map <c>y = a·x + b</c>, with
/// <c>a = γ / √(σ² + ε)</c> and <c>b = β - μ·a</c>, and the sign of <c>a</c> (+1 where <c>a = 0</c>).
/// Tensors are <c>[C]</c>.
/// </summary>
public sealed class BatchNormAffine : IDisposable
{
    public Tensor Scale { get; }
    public Tensor Shift { get; }
    public Tensor Sign { get; }

    public BatchNormAffine(Tensor weight, Tensor bias, Tensor mean, Tensor variance, double eps)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = weight.detach() / (variance.detach() + eps).sqrt();
        Scale = a.MoveToOuterDisposeScope();
        Shift = (bias.detach() - mean.detach() * a).MoveToOuterDisposeScope();
        Sign = where(a.lt(0), -1f, 1f).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public static BatchNormAffine Of(BatchNorm2d bn, double eps) =>
        new(bn.weight!, bn.bias!, bn.running_mean!, bn.running_var!, eps);

    public static BatchNormAffine Of(BatchNorm1d bn, double eps) =>
        new(bn.weight!, bn.bias!, bn.running_mean!, bn.running_var!, eps);

    public void Dispose()
    {
        Scale.Dispose();
        Shift.Dispose();
        Sign.Dispose();
    }
}
