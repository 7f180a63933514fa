using static TorchSharp.torch;

namespace Viml.Model;

/// <summary>Turns variable-length segment sequences into padded tensors plus a padding mask.</summary>
public static class Batching
{
    /// <summary>[B, S_max, D] zero-padded, and [B, S_max] bool (true = padding) or null when no item is padded.</summary>
    public static (Tensor Features, Tensor? Padding) Pad(IReadOnlyList<float[][]> items, int dimension, string what)
    {
        int b = items.Count, s = Math.Max(1, items.Max(i => i.Length));
        var data = new float[b * s * dimension];
        var pad = new bool[b * s];
        bool anyPad = false;
        for (int i = 0; i < b; i++)
        {
            if (items[i].Length == 0) throw new InvalidInputException($"{what}: an item has no segments");
            for (int j = 0; j < s; j++)
            {
                if (j >= items[i].Length) { pad[i * s + j] = true; anyPad = true; continue; }
                var row = items[i][j];
                if (row.Length != dimension) throw new InvalidInputException($"{what}: a segment feature has {row.Length} values, the model expects {dimension}");
                row.CopyTo(data, (i * s + j) * dimension);
            }
        }
        return (tensor(data, new long[] { b, s, dimension }), anyPad ? tensor(pad, new long[] { b, s }) : null);
    }

    /// <summary>[B, D_t]: each text base feature, or <paramref name="nullText"/> where absent.</summary>
    public static Tensor Texts(IReadOnlyList<float[]?> texts, Tensor nullText, int dimension)
    {
        var rows = texts.Select(t =>
        {
            if (t is null) return nullText.unsqueeze(0);
            if (t.Length != dimension) throw new InvalidInputException($"text: a text base feature has {t.Length} values, the model expects {dimension}");
            return tensor(t).unsqueeze(0);
        }).ToArray();
        return cat(rows, 0);
    }
}
