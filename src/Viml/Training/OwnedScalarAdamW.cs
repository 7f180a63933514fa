using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Viml.Training;

/// <summary>
/// TorchSharp's AdamW with a step whose Scalars (decay, betas, eps, step size) are owned and disposed after
/// the native calls that read them. TorchSharp's own step passes numbers as implicit Scalars that only the
/// finalizer frees, so under load a collection could free one mid-call ("Unknown scalar type" from
/// <c>at::native::add_</c>). Same update, same state and same <c>optimizer.bin</c> format as AdamW.
/// </summary>
public sealed class OwnedScalarAdamW : AdamW
{
    public OwnedScalarAdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay)
        : base(parameters, lr, weight_decay: weightDecay) { }

    /// <summary>Parameter groups, each with its own learning rate (e.g. the text branch's).</summary>
    public OwnedScalarAdamW(IEnumerable<ParamGroup> groups, double lr, double weightDecay)
        : base(groups, lr, weight_decay: weightDecay) { }

    static readonly Scalar One = 1.ToScalar();

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = (Options)group.Options;
        double beta1 = o.beta1!.Value, beta2 = o.beta2!.Value, eps = o.eps!.Value;
        double lr = o.LearningRate!.Value, decay = o.weight_decay!.Value;
        bool amsgrad = o.amsgrad!.Value, maximize = o.maximize!.Value;
        using Scalar b1 = beta1.ToScalar(), b2 = beta2.ToScalar(), oneMinusB1 = (1 - beta1).ToScalar(),
            oneMinusB2 = (1 - beta2).ToScalar(), epsilon = eps.ToScalar(), keep = (1 - lr * decay).ToScalar();
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            if (maximize) grad = grad.neg();
            state.step += 1;
            param.mul_(keep);
            double correction1 = 1 - Math.Pow(beta1, state.step), correction2 = 1 - Math.Pow(beta2, state.step);
            using Scalar root2 = Math.Sqrt(correction2).ToScalar(), stepSize = (-lr / correction1).ToScalar();
            state.exp_avg.mul_(b1).add_(grad, oneMinusB1);
            state.exp_avg_sq.mul_(b2).addcmul_(grad, grad, oneMinusB2);
            Tensor second = state.exp_avg_sq;
            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                second = state.max_exp_avg_sq;
            }
            var denom = second.sqrt().div_(root2).add_(epsilon, One);
            param.addcdiv_(state.exp_avg, denom, stepSize);
        }
    }, closure);
}
