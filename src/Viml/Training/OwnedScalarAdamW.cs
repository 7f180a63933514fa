using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Viml.Training;

/// <summary>
/// TorchSharp's AdamW with its step done in one pass over each parameter's memory (<see cref="AdamWKernel"/>) for
/// contiguous float32 CPU tensors, split across libtorch's intra-op thread count; any other tensor (and amsgrad or
/// maximize) takes the op-by-op step, whose Scalars (decay, betas, eps, step size) are owned and disposed after the
/// native calls that read them. TorchSharp's own step passes numbers as implicit Scalars that only the finalizer
/// frees, so under load a collection could free one mid-call ("Unknown scalar type" from <c>at::native::add_</c>).
/// Same update, same state and same <c>optimizer.bin</c> format as AdamW.
/// </summary>
public sealed class OwnedScalarAdamW : AdamW
{
    public OwnedScalarAdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay)
        : base(parameters, lr, weight_decay: weightDecay) { }

    /// <summary>Parameter groups, each with its own learning rate (e.g. the text branch's).</summary>
    public OwnedScalarAdamW(IEnumerable<ParamGroup> groups, double lr, double weightDecay)
        : base(groups, lr, weight_decay: weightDecay) { }

    /// <summary>Whether the one-pass kernel may be used (false: every tensor takes the op-by-op step).</summary>
    public bool Fused { get; set; } = true;

    /// <summary>Elements a thread updates at a time: 4 x 256 KiB of buffers.</summary>
    const int ChunkElements = 1 << 16;

    static readonly Scalar One = 1.ToScalar();

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = (Options)group.Options;
        double beta1 = o.beta1!.Value, beta2 = o.beta2!.Value, eps = o.eps!.Value;
        double lr = o.LearningRate!.Value, decay = o.weight_decay!.Value;
        bool amsgrad = o.amsgrad!.Value, maximize = o.maximize!.Value;
        var fused = new List<(Tensor Param, Tensor Grad, State State)>();
        var grads = new List<Tensor>();
        try
        {
            foreach (var param in group.Parameters)
            {
                var grad = param.grad;
                if (grad is null) continue;
                grads.Add(grad);
                var state = (State)_state[param.Handle];
                state.step += 1;
                if (Fused && !amsgrad && !maximize && Fusable(param, grad, state)) fused.Add((param, grad, state));
                else OpByOp(param, grad, state, beta1, beta2, eps, lr, decay, amsgrad, maximize);
            }
            if (fused.Count > 0) RunFused(fused, lr, decay, beta1, beta2, eps);
        }
        finally
        {
            foreach (var g in grads) g.Dispose();
        }
    }, closure);

    static bool Fusable(Tensor param, Tensor grad, State state) =>
        param.device_type == DeviceType.CPU && param.dtype == ScalarType.Float32 && grad.dtype == ScalarType.Float32
        && !grad.is_sparse && param.is_contiguous() && grad.is_contiguous() && state.exp_avg.is_contiguous()
        && state.exp_avg_sq.is_contiguous() && grad.numel() == param.numel()
        && state.exp_avg.numel() == param.numel() && state.exp_avg_sq.numel() == param.numel();

    /// <summary>All parameters' chunks, shared out over libtorch's intra-op thread count.</summary>
    static unsafe void RunFused(List<(Tensor Param, Tensor Grad, State State)> items, double lr, double decay,
        double beta1, double beta2, double eps)
    {
        var chunks = new List<(nint P, nint G, nint M, nint V, int Length, AdamWCoefficients C)>();
        foreach (var (param, grad, state) in items)
        {
            var c = AdamWCoefficients.At(state.step, lr, decay, beta1, beta2, eps);
            nint p = Address(param), g = Address(grad), m = Address(state.exp_avg), v = Address(state.exp_avg_sq);
            long n = param.numel();
            for (long start = 0; start < n; start += ChunkElements)
            {
                long offset = start * sizeof(float);
                chunks.Add((p + (nint)offset, g + (nint)offset, m + (nint)offset, v + (nint)offset,
                    (int)Math.Min(ChunkElements, n - start), c));
            }
        }
        void Run(int i)
        {
            var (p, g, m, v, length, c) = chunks[i];
            AdamWKernel.Update(new Span<float>((void*)p, length), new ReadOnlySpan<float>((void*)g, length),
                new Span<float>((void*)m, length), new Span<float>((void*)v, length), c);
        }
        int threads = Math.Max(1, torch.get_num_threads());
        if (threads == 1 || chunks.Count == 1)
            for (int i = 0; i < chunks.Count; i++) Run(i);
        else
            Parallel.For(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, Run);
    }

    /// <summary>The first element's address; the tensor's memory does not move while the tensor lives.</summary>
    static unsafe nint Address(Tensor t)
    {
        fixed (byte* b = t.bytes) return (nint)b;
    }

    static void OpByOp(Tensor param, Tensor grad, State state, double beta1, double beta2, double eps, double lr, double decay,
        bool amsgrad, bool maximize)
    {
        using Scalar b1 = beta1.ToScalar(), b2 = beta2.ToScalar(), oneMinusB1 = (1 - beta1).ToScalar(),
            oneMinusB2 = (1 - beta2).ToScalar(), epsilon = eps.ToScalar(), keep = (1 - lr * decay).ToScalar();
        if (maximize) grad = grad.neg();
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
}
