namespace Viml.IO;

/// <summary>
/// Computed numbers (features, tag confidences, vectors, weights) came out NaN or infinite, so nothing was
/// stored. The message names the file and the segment or tensor. The input was valid, the computation was not.
/// </summary>
public sealed class NonFiniteValuesException(string message) : VimlException(message);

/// <summary>The check every store makes before it writes numbers: none may be NaN or infinite.</summary>
public static class NonFiniteValues
{
    /// <summary>Throws <see cref="NonFiniteValuesException"/> "<paramref name="where"/>: <paramref name="what"/> holds …"
    /// when <paramref name="values"/> holds a NaN or an infinity.</summary>
    public static void Refuse(ReadOnlySpan<float> values, string where, string what)
    {
        int first = -1, count = 0;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) { count++; if (first < 0) first = i; }
        if (count > 0)
            throw new NonFiniteValuesException(
                $"{where}: {what} holds {count} NaN or infinite value{(count == 1 ? "" : "s")} (first at index {first}: {values[first]}); nothing was stored");
    }

    /// <summary>Checks each row, naming it "<paramref name="rowName"/> i".</summary>
    public static void RefuseRows(IReadOnlyList<float[]> rows, string where, Func<int, string> rowName)
    {
        for (int i = 0; i < rows.Count; i++) Refuse(rows[i], where, rowName(i));
    }
}
