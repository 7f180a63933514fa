using System.Numerics.Tensors;
using Viml.Media;

namespace Viml.Encoders;

/// <summary>Memory order of an image tensor: planar (channels first) or interleaved (channels last).</summary>
public enum TensorLayout { NCHW, NHWC }

/// <summary>Order of the colour channels an image model expects.</summary>
public enum ChannelOrder { RGB, BGR }

/// <summary>
/// Turns a packed RGB24 frame into one image of a model's float input:
/// <c>value = (pixel * Scale - Mean[c] - MeanImage[c, y, x]) / Std[c]</c>, channels in <see cref="Order"/>,
/// laid out as <see cref="Layout"/>. The per-element multiplier and offset are precomputed once, so a frame costs one
/// reorder pass plus one SIMD fused multiply-add over the image; nothing is allocated per frame.
/// </summary>
public sealed class FramePreprocessor
{
    public int Width { get; }
    public int Height { get; }
    public TensorLayout Layout { get; }
    public ChannelOrder Order { get; }
    /// <summary>Floats per image: 3 * Width * Height.</summary>
    public int Size => 3 * Width * Height;

    readonly float[] _mul, _add;   // in the output layout

    /// <param name="meanImage">Optional per-pixel mean, [3, Height, Width] in the model's channel order (as Caffe/CNTK models ship it).</param>
    public FramePreprocessor(int width, int height, TensorLayout layout, ChannelOrder order,
        float scale, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, float[]? meanImage = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image size must be positive");
        if (mean.Length != 3 || std.Length != 3) throw new ArgumentException("mean and std need 3 values, one per channel");
        int hw = width * height;
        if (meanImage != null && meanImage.Length != 3 * hw)
            throw new ArgumentException($"mean image has {meanImage.Length} values, expected 3x{height}x{width}");
        Width = width; Height = height; Layout = layout; Order = order;
        _mul = new float[3 * hw]; _add = new float[3 * hw];
        for (int c = 0; c < 3; c++)
        {
            if (std[c] == 0) throw new ArgumentException("std must not be 0");
            for (int i = 0; i < hw; i++)
            {
                int o = layout == TensorLayout.NCHW ? c * hw + i : i * 3 + c;
                _mul[o] = scale / std[c];
                _add[o] = -(mean[c] + (meanImage?[c * hw + i] ?? 0f)) / std[c];
            }
        }
    }

    /// <summary>Writes <paramref name="frame"/> into <paramref name="dest"/> (<see cref="Size"/> floats).</summary>
    public void Write(RgbFrame frame, Span<float> dest)
    {
        if (frame.Width != Width || frame.Height != Height)
            throw new InvalidInputException($"frame is {frame.Width}x{frame.Height}, the encoder needs {Width}x{Height}");
        int hw = Width * Height;
        var px = frame.Pixels.Span;
        if (px.Length < 3 * hw) throw new InvalidInputException($"frame has {px.Length} bytes, expected {3 * hw} (RGB24 {Width}x{Height})");
        dest = dest[..Size];
        bool bgr = Order == ChannelOrder.BGR;
        if (Layout == TensorLayout.NCHW)
        {
            var p0 = dest[..hw]; var p1 = dest.Slice(hw, hw); var p2 = dest.Slice(2 * hw, hw);
            if (bgr) { var t = p0; p0 = p2; p2 = t; }   // R goes to plane 2, B to plane 0
            for (int i = 0, j = 0; i < hw; i++, j += 3)
            {
                p0[i] = px[j]; p1[i] = px[j + 1]; p2[i] = px[j + 2];
            }
        }
        else if (!bgr)
        {
            TensorPrimitives.ConvertChecked<byte, float>(px[..(3 * hw)], dest);
        }
        else
        {
            for (int j = 0; j < 3 * hw; j += 3)
            {
                dest[j] = px[j + 2]; dest[j + 1] = px[j + 1]; dest[j + 2] = px[j];
            }
        }
        TensorPrimitives.FusedMultiplyAdd(dest, _mul, _add, dest);
    }
}
