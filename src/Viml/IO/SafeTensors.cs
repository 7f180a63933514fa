using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Viml.IO;

/// <summary>A named float32 tensor: shape plus row-major data.</summary>
public sealed record NamedTensor(string Name, long[] Shape, float[] Data)
{
    public int Rows => (int)Shape[0];
    public int Columns => Shape.Length > 1 ? (int)(Data.Length / Shape[0]) : 1;

    /// <summary>The tensor as rows (2-D view of a tensor whose first axis is the row).</summary>
    public float[][] ToRows()
    {
        var rows = new float[Rows][];
        for (int r = 0; r < rows.Length; r++) rows[r] = Data.AsSpan(r * Columns, Columns).ToArray();
        return rows;
    }

    public static NamedTensor FromRows(string name, IReadOnlyList<float[]> rows, int columns)
    {
        var data = new float[rows.Count * columns];
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != columns) throw new ArgumentException($"{name}: row {r} has {rows[r].Length} values, expected {columns}");
            rows[r].CopyTo(data, r * columns);
        }
        return new NamedTensor(name, new long[] { rows.Count, columns }, data);
    }
}

/// <summary>
/// The safetensors format (8-byte little-endian header length, JSON header, raw data), float32 only
/// on write; F32/F16/BF16/F64/I64 on read (converted to float32). Python reads our files with
/// <c>safetensors.numpy.load_file</c> or <c>safetensors.torch.load_file</c>.
/// </summary>
public static class SafeTensors
{
    /// <summary>Writes atomically: a temp file in the same folder, then a rename.</summary>
    public static void Save(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var t in list)
        {
            long n = t.Shape.Aggregate(1L, (a, b) => a * b);
            if (n != t.Data.Length) throw new ArgumentException($"{t.Name}: shape [{string.Join(",", t.Shape)}] does not hold {t.Data.Length} values");
            NonFiniteValues.Refuse(t.Data, path, $"tensor {t.Name}");
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + 4 * n),
            };
            offset += 4 * n;
        }
        AtomicFile.Write(path, stream =>
        {
            WriteHeader(stream, header);
            foreach (var t in list)
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Data.AsSpan()));
        });
    }

    /// <summary>The start of a safetensors file: the header's length (8 bytes, little-endian), then the header as
    /// JSON padded with spaces to a multiple of 8 bytes, so the tensor data that follows is 8-byte aligned.</summary>
    public static void WriteHeader(Stream stream, JsonObject header)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        int pad = (8 - json.Length % 8) % 8;
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)(json.Length + pad));
        stream.Write(len);
        stream.Write(json);
        for (int i = 0; i < pad; i++) stream.WriteByte((byte)' ');
    }

    /// <summary>Reads every tensor and the metadata; throws <see cref="InvalidInputException"/> naming the file on any defect.</summary>
    public static (Dictionary<string, NamedTensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InvalidInputException($"{path}: cannot read ({e.Message})", e); }
        return Parse(bytes, path);
    }

    /// <summary>Reads only the header's <c>__metadata__</c> (not the tensors).</summary>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        byte[] header;
        try
        {
            using var f = File.OpenRead(path);
            var len = new byte[8];
            f.ReadExactly(len);
            ulong hlen = BinaryPrimitives.ReadUInt64LittleEndian(len);
            if (hlen > (ulong)(f.Length - 8) || hlen > 100_000_000) throw new InvalidInputException($"{path}: not a safetensors file (header length {hlen} exceeds the file)");
            header = new byte[8 + (int)hlen];
            len.CopyTo(header, 0);
            f.ReadExactly(header.AsSpan(8));
        }
        catch (EndOfStreamException e) { throw new InvalidInputException($"{path}: not a safetensors file (truncated header)", e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InvalidInputException($"{path}: cannot read ({e.Message})", e); }
        return MetadataOf(ParseHeader(header.AsSpan(8), path), path);
    }

    static JsonObject ParseHeader(ReadOnlySpan<byte> json, string name)
    {
        try { return JsonNode.Parse(json)!.AsObject(); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException) { throw new InvalidInputException($"{name}: safetensors header is not valid JSON", e); }
    }

    static Dictionary<string, string> MetadataOf(JsonObject header, string name)
    {
        var meta = new Dictionary<string, string>();
        if (!header.TryGetPropertyValue("__metadata__", out var node)) return meta;
        try { foreach (var (k, v) in node!.AsObject()) meta[k] = v?.GetValue<string>() ?? ""; }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException) { throw new InvalidInputException($"{name}: safetensors __metadata__ is not an object of strings", e); }
        return meta;
    }

    public static (Dictionary<string, NamedTensor> Tensors, Dictionary<string, string> Metadata) Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 8) throw new InvalidInputException($"{name}: not a safetensors file (only {bytes.Length} bytes)");
        ulong hlen = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (hlen > (ulong)(bytes.Length - 8) || hlen > 100_000_000) throw new InvalidInputException($"{name}: not a safetensors file (header length {hlen} exceeds the file)");
        var header = ParseHeader(bytes.AsSpan(8, (int)hlen), name);
        var meta = MetadataOf(header, name);
        var tensors = new Dictionary<string, NamedTensor>();
        long dataStart = 8 + (long)hlen;
        foreach (var (key, node) in header)
        {
            if (key == "__metadata__") continue;
            try
            {
                var o = node!.AsObject();
                string dtype = o["dtype"]!.GetValue<string>();
                long[] shape = o["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
                var offs = o["data_offsets"]!.AsArray();
                long begin = offs[0]!.GetValue<long>(), end = offs[1]!.GetValue<long>();
                long n = shape.Aggregate(1L, (a, b) => a * b);
                int width = dtype switch { "F32" => 4, "F16" or "BF16" => 2, "F64" or "I64" => 8, _ => throw new InvalidInputException($"{name}: tensor {key} has unsupported dtype {dtype}") };
                if (begin < 0 || end < begin || dataStart + end > bytes.Length || end - begin != n * width)
                    throw new InvalidInputException($"{name}: tensor {key} data range [{begin},{end}) is inconsistent with its shape or the file is truncated");
                var span = bytes.AsSpan((int)(dataStart + begin), (int)(end - begin));
                var data = new float[n];
                for (long i = 0; i < n; i++)
                {
                    var s = span.Slice((int)(i * width), width);
                    data[i] = dtype switch
                    {
                        "F32" => BinaryPrimitives.ReadSingleLittleEndian(s),
                        "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(s),
                        "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(s) << 16),
                        "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
                        _ => BinaryPrimitives.ReadInt64LittleEndian(s),
                    };
                }
                tensors[key] = new NamedTensor(key, shape, data);
            }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new InvalidInputException($"{name}: tensor {key} has a malformed header entry", e);
            }
        }
        return (tensors, meta);
    }
}
