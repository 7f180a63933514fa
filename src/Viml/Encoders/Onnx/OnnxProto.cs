using System.Buffers.Binary;
using System.Text;

namespace Viml.Encoders.Onnx;

/// <summary>
/// Just enough of the ONNX protobuf format (onnx.proto3) to read an initializer and to make a graph's batch
/// dimension symbolic, working on the wire format so every field it does not touch is copied byte for byte.
/// Field numbers are those of onnx.proto: ModelProto.graph = 7; GraphProto node = 1, initializer = 5,
/// input = 11, output = 12, value_info = 13; NodeProto input = 1, op_type = 4; ValueInfoProto type = 2;
/// TypeProto tensor_type = 1; Tensor shape = 2; TensorShapeProto dim = 1; Dimension dim_value = 1, dim_param = 2;
/// TensorProto dims = 1, data_type = 2, float_data = 4, int64_data = 7, name = 8, raw_data = 9.
/// </summary>
internal static class OnnxProto
{
    public const int WireVarint = 0, Wire64 = 1, WireBytes = 2, Wire32 = 5;

    /// <summary>One field of a message: its number, wire type, the value (varint) or the payload bytes, and its whole encoding.</summary>
    public readonly record struct Field(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Payload, ReadOnlyMemory<byte> Raw)
    {
        public string Text => Encoding.UTF8.GetString(Payload.Span);
    }

    public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        int pos = 0;
        while (pos < message.Length)
        {
            int start = pos;
            ulong key = ReadVarint(message.Span, ref pos);
            int wire = (int)(key & 7), number = (int)(key >> 3);
            ulong v = 0; ReadOnlyMemory<byte> payload = default;
            switch (wire)
            {
                case WireVarint: v = ReadVarint(message.Span, ref pos); break;
                case Wire64: payload = Slice(message, ref pos, 8); break;
                case Wire32: payload = Slice(message, ref pos, 4); break;
                case WireBytes: payload = Slice(message, ref pos, checked((int)ReadVarint(message.Span, ref pos))); break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wire} at byte {start}");
            }
            yield return new Field(number, wire, v, payload, message[start..pos]);
        }
    }

    static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> m, ref int pos, int n)
    {
        if (n < 0 || pos + n > m.Length) throw new InvalidDataException("truncated protobuf message");
        var s = m.Slice(pos, n); pos += n; return s;
    }

    static ulong ReadVarint(ReadOnlySpan<byte> b, ref int pos)
    {
        ulong r = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= b.Length) throw new InvalidDataException("truncated protobuf varint");
            byte c = b[pos++];
            r |= (ulong)(c & 0x7F) << shift;
            if (c < 0x80) return r;
        }
        throw new InvalidDataException("malformed protobuf varint");
    }

    /// <summary>Packed or unpacked repeated varints (int64 dims, int64_data).</summary>
    public static IEnumerable<long> Varints(Field f)
    {
        if (f.WireType == WireVarint) { yield return (long)f.Varint; yield break; }
        var buf = f.Payload; int pos = 0;
        while (pos < buf.Length) yield return (long)ReadVarint(buf.Span, ref pos);
    }

    // ---- reading ----

    /// <summary>A float32 initializer of the model's main graph (raw_data or float_data), with its dims.</summary>
    public static float[] ReadFloatInitializer(byte[] model, string name, out long[] dims)
    {
        foreach (var g in Fields(model).Where(f => f.Number == 7))
            foreach (var t in Fields(g.Payload).Where(f => f.Number == 5))
            {
                var tf = Fields(t.Payload).ToList();
                if (tf.FirstOrDefault(f => f.Number == 8).Text != name) continue;
                dims = tf.Where(f => f.Number == 1).SelectMany(Varints).ToArray();
                int type = (int)tf.FirstOrDefault(f => f.Number == 2).Varint;
                if (type != 1) throw new InvalidDataException($"initializer {name} has ONNX data type {type}, not float32");
                long count = dims.Aggregate(1L, (a, d) => a * d);
                var result = new float[count];
                var raw = tf.FirstOrDefault(f => f.Number == 9);
                if (raw.Number == 9)
                {
                    if (raw.Payload.Length != count * 4) throw new InvalidDataException($"initializer {name}: raw_data has {raw.Payload.Length} bytes for {count} floats");
                    for (int i = 0; i < count; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Payload.Span[(i * 4)..]);
                    return result;
                }
                int k = 0;
                foreach (var f in tf.Where(f => f.Number == 4))
                {
                    var span = f.Payload.Span;
                    for (int i = 0; i + 4 <= span.Length; i += 4) result[k++] = BinaryPrimitives.ReadSingleLittleEndian(span[i..]);
                }
                if (k != count) throw new InvalidDataException($"initializer {name}: float_data has {k} values for {count}");
                return result;
            }
        throw new InvalidDataException($"the model has no initializer named {name}");
    }

    /// <summary>Graph inputs that are not initializers, and outputs, with their dims (-1 for a symbolic or unknown dimension).</summary>
    public static (List<(string Name, long[] Dims)> Inputs, List<(string Name, long[] Dims)> Outputs) GraphIO(byte[] model)
    {
        var inputs = new List<(string, long[])>(); var outputs = new List<(string, long[])>();
        var graph = Fields(model).FirstOrDefault(f => f.Number == 7 && f.WireType == WireBytes);
        if (graph.Number != 7) throw new InvalidDataException("not an ONNX model (no graph)");
        var fields = Fields(graph.Payload).ToList();
        var initializers = fields.Where(f => f.Number == 5).Select(t => Fields(t.Payload).FirstOrDefault(x => x.Number == 8).Text).ToHashSet();
        foreach (var f in fields.Where(f => f.Number is 11 or 12))
        {
            string name = ValueInfoName(f.Payload);
            if (f.Number == 11 && initializers.Contains(name)) continue;
            var dims = new List<long>();
            foreach (var type in Fields(f.Payload).Where(x => x.Number == 2))
                foreach (var tensor in Fields(type.Payload).Where(x => x.Number == 1))
                    foreach (var shape in Fields(tensor.Payload).Where(x => x.Number == 2))
                        foreach (var dim in Fields(shape.Payload).Where(x => x.Number == 1))
                        {
                            var value = Fields(dim.Payload).FirstOrDefault(x => x.Number == 1);
                            dims.Add(value.Number == 1 && value.WireType == WireVarint ? (long)value.Varint : -1);
                        }
            (f.Number == 11 ? inputs : outputs).Add((name, dims.ToArray()));
        }
        return (inputs, outputs);
    }

    // ---- rewriting the batch dimension ----

    /// <summary>
    /// Makes dimension 0 of the graph inputs (those that are not initializers) and outputs symbolic (<paramref name="dimName"/>),
    /// drops the intermediate value_info (ONNX Runtime infers the shapes again), and rewrites the int64 shape initializers
    /// of Reshape nodes that start with the old fixed batch size to 0 ("copy dimension 0 of the input").
    /// Returns the number of graph inputs rewritten in <paramref name="rewrittenInputs"/>.
    /// </summary>
    public static byte[] MakeBatchSymbolic(byte[] model, out int rewrittenInputs, string dimName = "N")
    {
        var w = new ProtoWriter();
        rewrittenInputs = 0;
        foreach (var f in Fields(model))
        {
            if (f.Number == 7 && f.WireType == WireBytes) w.Bytes(7, RewriteGraph(f.Payload, dimName, ref rewrittenInputs));
            else w.Raw(f.Raw.Span);
        }
        return w.ToArray();
    }

    static byte[] RewriteGraph(ReadOnlyMemory<byte> graph, string dimName, ref int rewrittenInputs)
    {
        var fields = Fields(graph).ToList();
        var initializerNames = new HashSet<string>();
        foreach (var t in fields.Where(f => f.Number == 5))
            initializerNames.Add(Fields(t.Payload).FirstOrDefault(f => f.Number == 8).Text ?? "");
        // shape inputs of Reshape nodes
        var reshapeShapes = new HashSet<string>();
        foreach (var n in fields.Where(f => f.Number == 1))
        {
            var nf = Fields(n.Payload).ToList();
            if (nf.FirstOrDefault(f => f.Number == 4).Text != "Reshape") continue;
            var ins = nf.Where(f => f.Number == 1).Select(f => f.Text).ToList();
            if (ins.Count >= 2) reshapeShapes.Add(ins[1]);
        }

        var w = new ProtoWriter();
        foreach (var f in fields)
        {
            switch (f.Number)
            {
                case 11 when !initializerNames.Contains(ValueInfoName(f.Payload)):
                    w.Bytes(11, RewriteValueInfo(f.Payload, dimName)); rewrittenInputs++; break;
                case 12:
                    w.Bytes(12, RewriteValueInfo(f.Payload, dimName)); break;
                case 13:
                    break; // value_info: dropped, inferred again by the runtime
                case 5 when reshapeShapes.Contains(Fields(f.Payload).FirstOrDefault(x => x.Number == 8).Text ?? ""):
                    w.Bytes(5, RewriteReshapeShape(f.Payload)); break;
                default:
                    w.Raw(f.Raw.Span); break;
            }
        }
        return w.ToArray();
    }

    static string ValueInfoName(ReadOnlyMemory<byte> vi) => Fields(vi).FirstOrDefault(f => f.Number == 1).Text ?? "";

    /// <summary>ValueInfoProto -> type(2) -> tensor_type(1) -> shape(2) -> first dim(1) becomes dim_param.</summary>
    static byte[] RewriteValueInfo(ReadOnlyMemory<byte> vi, string dimName) =>
        RewriteNested(vi, 2, type => RewriteNested(type, 1, tensor => RewriteNested(tensor, 2, shape =>
        {
            var w = new ProtoWriter(); bool first = true;
            foreach (var d in Fields(shape))
            {
                if (d.Number == 1 && first) { first = false; var dw = new ProtoWriter(); dw.String(2, dimName); w.Bytes(1, dw.ToArray()); }
                else w.Raw(d.Raw.Span);
            }
            return w.ToArray();
        })));

    static byte[] RewriteNested(ReadOnlyMemory<byte> msg, int field, Func<ReadOnlyMemory<byte>, byte[]> rewrite)
    {
        var w = new ProtoWriter();
        foreach (var f in Fields(msg))
            if (f.Number == field && f.WireType == WireBytes) w.Bytes(field, rewrite(f.Payload));
            else w.Raw(f.Raw.Span);
        return w.ToArray();
    }

    /// <summary>An int64 shape constant [1, ...] becomes [0, ...] (Reshape copies the input's batch dimension).</summary>
    static byte[] RewriteReshapeShape(ReadOnlyMemory<byte> tensor)
    {
        var fields = Fields(tensor).ToList();
        if ((int)fields.FirstOrDefault(f => f.Number == 2).Varint != 7) return tensor.ToArray();
        var w = new ProtoWriter();
        var raw = fields.FirstOrDefault(f => f.Number == 9);
        if (raw.Number == 9 && raw.Payload.Length >= 8 && BinaryPrimitives.ReadInt64LittleEndian(raw.Payload.Span) == 1)
        {
            var copy = raw.Payload.ToArray();
            BinaryPrimitives.WriteInt64LittleEndian(copy, 0);
            foreach (var f in fields) if (f.Number == 9) w.Bytes(9, copy); else w.Raw(f.Raw.Span);
            return w.ToArray();
        }
        var values = fields.Where(f => f.Number == 7).SelectMany(Varints).ToArray();
        if (values.Length == 0 || values[0] != 1) return tensor.ToArray();
        values[0] = 0;
        bool written = false;
        foreach (var f in fields)
        {
            if (f.Number != 7) { w.Raw(f.Raw.Span); continue; }
            if (!written) { w.PackedInt64(7, values); written = true; }
        }
        return w.ToArray();
    }
}

/// <summary>Minimal protobuf wire-format writer (length-delimited fields, varints, packed arrays, raw copies).</summary>
internal sealed class ProtoWriter
{
    readonly MemoryStream _s = new();

    public byte[] ToArray() => _s.ToArray();

    public void Raw(ReadOnlySpan<byte> bytes) => _s.Write(bytes);

    void Tag(int field, int wire) => WriteVarint((ulong)((field << 3) | wire));

    void WriteVarint(ulong v)
    {
        while (v >= 0x80) { _s.WriteByte((byte)(v | 0x80)); v >>= 7; }
        _s.WriteByte((byte)v);
    }

    public ProtoWriter Varint(int field, long value) { Tag(field, OnnxProto.WireVarint); WriteVarint((ulong)value); return this; }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value) { Tag(field, OnnxProto.WireBytes); WriteVarint((ulong)value.Length); _s.Write(value); return this; }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter inner) => Bytes(field, inner.ToArray());

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, OnnxProto.Wire32);
        Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteSingleLittleEndian(b, value); _s.Write(b);
        return this;
    }

    public ProtoWriter PackedInt64(int field, IEnumerable<long> values)
    {
        var inner = new ProtoWriter();
        foreach (var v in values) inner.WriteVarint((ulong)v);
        return Bytes(field, inner.ToArray());
    }

    public ProtoWriter PackedFloat(int field, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return Bytes(field, bytes);
    }
}
