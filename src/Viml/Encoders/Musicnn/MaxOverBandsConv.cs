using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Viml.Encoders.Musicnn;

/// <summary>
/// A 1-channel convolution over <c>[time, bands]</c> whose output is reduced by its maximum over bands, as
/// musicnn's front ends do: <c>m[b, c, t] = max_j s_c · (conv(x)[b, c, t, j] + bias_c)</c>, with a per-channel
/// sign <c>s_c</c> = ±1 so that a caller can recover the minimum too (<c>min z = -max(-z)</c>); a monotone
/// per-channel map applied after the maximum then gives exactly what it would give applied before it.
/// <para>Wide kernels (over 8 bands) run as one matrix product instead of a convolution: output bands are taken
/// in blocks of <see cref="Block"/>; every block reads the same <c>Kt × (Block + Kf - 1)</c> window of the input,
/// and one weight matrix <c>[Kt·(Block+Kf-1), C·Block]</c> (the kernel shifted to each band of the block, zeros
/// elsewhere) maps a window to the block's outputs. The windows are a small copy (a fifth of a full im2col's) and
/// the product runs at the BLAS's speed, about twice what libtorch's 1-channel convolution reaches on these shapes.
/// Narrow kernels use libtorch's convolution.</para>
/// </summary>
public sealed class MaxOverBandsConv : IDisposable
{
    /// <summary>Output bands per block: 4 measured fastest for 38- and 67-band kernels over 96 bands.</summary>
    public const int Block = 4;

    readonly Tensor _kernel;   // [C, 1, Kt, Kf] sign-adjusted: the convolution path
    readonly Tensor? _blocked; // [Kt·(Block+Kf-1), C·Block] sign-adjusted: the matrix-product path
    readonly Tensor _bias;     // [C] sign-adjusted
    readonly int _kt, _kf;

    public int Channels { get; }

    /// <param name="weight">Convolution weights <c>[C, 1, Kt, Kf]</c> (time, bands).</param>
    /// <param name="bias">Convolution bias <c>[C]</c>.</param>
    /// <param name="sign">Per-channel ±1 <c>[C]</c>.</param>
    public MaxOverBandsConv(Tensor weight, Tensor bias, Tensor sign)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Channels = (int)weight.shape[0];
        _kt = (int)weight.shape[2];
        _kf = (int)weight.shape[3];
        var s = sign.detach().to_type(ScalarType.Float32);
        _kernel = weight.detach().mul(s.view(-1, 1, 1, 1)).contiguous().MoveToOuterDisposeScope();
        _bias = bias.detach().mul(s).contiguous().MoveToOuterDisposeScope();
        if (_kf > 8)
        {
            int window = Block + _kf - 1;
            var blocked = zeros(Channels, Block, _kt, window);
            var k = _kernel.squeeze(1);
            for (int jj = 0; jj < Block; jj++)
                blocked.index_put_(k, TensorIndex.Colon, TensorIndex.Single(jj), TensorIndex.Colon, TensorIndex.Slice(jj, jj + _kf));
            _blocked = blocked.reshape(Channels * Block, _kt * window).t().contiguous().MoveToOuterDisposeScope();
        }
    }

    /// <summary><paramref name="x"/>: <c>[B, T + Kt - 1, bands]</c> → <c>[B, C, T]</c>.</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], bands = x.shape[2], frames = x.shape[1] - _kt + 1, outBands = bands - _kf + 1;
        if (_blocked is null)
        {
            var z = F.conv2d(x.unsqueeze(1), _kernel, _bias);        // [B, C, T, J]
            return z.amax(new long[] { 3 }).MoveToOuterDisposeScope();
        }
        int window = Block + _kf - 1;
        long blocks = (outBands + Block - 1) / Block;
        var padded = F.pad(x, new long[] { 0, blocks * Block + _kf - 1 - bands });
        var windows = padded.unfold(1, _kt, 1).unfold(2, window, Block).reshape(-1, _kt * window); // [B·T·nb, Kt·W]
        var y = windows.matmul(_blocked!).view(batch, frames, blocks, Channels, Block);
        long valid = outBands - (blocks - 1) * Block;                 // real outputs in the last block
        if (valid < Block) y.narrow(2, blocks - 1, 1).narrow(4, valid, Block - valid).fill_(float.NegativeInfinity);
        var m = y.amax(new long[] { 2, 4 }).add_(_bias);              // [B, T, C]
        return m.transpose(1, 2).contiguous().MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _kernel.Dispose();
        _blocked?.Dispose();
        _bias.Dispose();
    }
}
