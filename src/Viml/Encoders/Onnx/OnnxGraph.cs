using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Viml.Encoders.Onnx;

/// <summary>One node of an ONNX graph; attributes stay in their wire encoding (AttributeProto payloads).</summary>
internal sealed class OnnxNode(string opType, List<string> inputs, List<string> outputs)
{
    public string OpType { get; } = opType;
    public List<string> Inputs { get; } = inputs;
    public List<string> Outputs { get; } = outputs;
    public string Name { get; init; } = "";
    public string Domain { get; init; } = "";
    public List<ReadOnlyMemory<byte>> Attributes { get; init; } = [];

    /// <summary>A float attribute (AttributeProto f = 2), or <paramref name="fallback"/> when absent.</summary>
    public float FloatAttribute(string name, float fallback)
    {
        foreach (var a in Attributes)
        {
            var fields = OnnxProto.Fields(a).ToList();
            if (fields.FirstOrDefault(f => f.Number == 1).Text != name) continue;
            var f = fields.FirstOrDefault(x => x.Number == 2 && x.WireType == OnnxProto.Wire32);
            return f.Number == 2 ? BinaryPrimitives.ReadSingleLittleEndian(f.Payload.Span) : fallback;
        }
        return fallback;
    }

    /// <summary>An integer attribute in its wire encoding (name = 1, i = 3, type = 20 INT).</summary>
    public static byte[] IntAttribute(string name, long value) =>
        new ProtoWriter().String(1, name).Varint(3, value).Varint(20, 2).ToArray();
}

/// <summary>An initializer: name, dims, ONNX data type and little-endian raw bytes.</summary>
internal sealed record OnnxTensor(string Name, long[] Dims, int DataType, byte[] Raw)
{
    public const int Float = 1, UInt8 = 2, Int8 = 3, Int32 = 6;

    public float[] Floats() =>
        DataType == Float ? MemoryMarshal.Cast<byte, float>(Raw).ToArray()
                          : throw new InvalidDataException($"initializer {Name} has ONNX data type {DataType}, not float32");

    public static OnnxTensor Of(string name, long[] dims, ReadOnlySpan<float> v) =>
        new(name, dims, Float, MemoryMarshal.AsBytes(v).ToArray());
    public static OnnxTensor Of(string name, long[] dims, ReadOnlySpan<sbyte> v) =>
        new(name, dims, Int8, MemoryMarshal.AsBytes(v).ToArray());
    public static OnnxTensor Of(string name, long[] dims, ReadOnlySpan<byte> v) => new(name, dims, UInt8, v.ToArray());
    public static OnnxTensor Of(string name, long[] dims, ReadOnlySpan<int> v) =>
        new(name, dims, Int32, MemoryMarshal.AsBytes(v).ToArray());
}

/// <summary>
/// An ONNX model's main graph opened for editing: nodes and initializers decoded, every other field of the model
/// and graph kept in its wire encoding and written back unchanged (value_info is dropped: the runtime infers it).
/// Little-endian hosts only (raw tensor bytes are used as they are).
/// </summary>
internal sealed class OnnxGraph
{
    readonly List<OnnxProto.Field> _modelFields = [], _graphFields = [];
    public List<OnnxNode> Nodes { get; } = [];
    public Dictionary<string, OnnxTensor> Initializers { get; } = [];
    /// <summary>Extra float graph outputs to add when writing (intermediate tensors, for calibration).</summary>
    public List<string> ExtraOutputs { get; } = [];
    /// <summary>The default-domain opset the model is written with (at least the one it was read with).</summary>
    public long Opset { get; set; }
    long _irVersion;

    public static OnnxGraph Read(byte[] model)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX graph editing needs a little-endian CPU");
        var g = new OnnxGraph();
        bool sawGraph = false;
        foreach (var f in OnnxProto.Fields(model))
        {
            if (f.Number == 7 && f.WireType == OnnxProto.WireBytes) { g.ReadGraph(f.Payload); sawGraph = true; }
            else if (f.Number == 8 && f.WireType == OnnxProto.WireBytes)
            {
                var op = OnnxProto.Fields(f.Payload).ToList();
                string domain = op.FirstOrDefault(x => x.Number == 1).Text ?? "";
                if (domain is "" or "ai.onnx") g.Opset = (long)op.FirstOrDefault(x => x.Number == 2).Varint;
                else g._modelFields.Add(f);
            }
            else if (f.Number == 1 && f.WireType == OnnxProto.WireVarint) g._irVersion = (long)f.Varint;
            else g._modelFields.Add(f);
        }
        if (!sawGraph) throw new InvalidDataException("not an ONNX model (no graph)");
        return g;
    }

    void ReadGraph(ReadOnlyMemory<byte> graph)
    {
        foreach (var f in OnnxProto.Fields(graph))
            switch (f.Number)
            {
                case 1: Nodes.Add(ReadNode(f.Payload)); break;
                case 5: var t = ReadTensor(f.Payload); Initializers[t.Name] = t; break;
                case 13: break;
                default: _graphFields.Add(f); break;
            }
    }

    static OnnxNode ReadNode(ReadOnlyMemory<byte> node)
    {
        var fields = OnnxProto.Fields(node).ToList();
        return new OnnxNode(fields.FirstOrDefault(f => f.Number == 4).Text ?? "",
            fields.Where(f => f.Number == 1).Select(f => f.Text).ToList(),
            fields.Where(f => f.Number == 2).Select(f => f.Text).ToList())
        {
            Name = fields.FirstOrDefault(f => f.Number == 3).Text ?? "",
            Domain = fields.FirstOrDefault(f => f.Number == 7).Text ?? "",
            Attributes = fields.Where(f => f.Number == 5).Select(f => f.Payload).ToList(),
        };
    }

    static OnnxTensor ReadTensor(ReadOnlyMemory<byte> tensor)
    {
        var tf = OnnxProto.Fields(tensor).ToList();
        string name = tf.FirstOrDefault(f => f.Number == 8).Text ?? "";
        var dims = tf.Where(f => f.Number == 1).SelectMany(OnnxProto.Varints).ToArray();
        int type = (int)tf.FirstOrDefault(f => f.Number == 2).Varint;
        var raw = tf.FirstOrDefault(f => f.Number == 9);
        if (raw.Number == 9) return new OnnxTensor(name, dims, type, raw.Payload.ToArray());
        if (type == OnnxTensor.Float)
            return new OnnxTensor(name, dims, type, tf.Where(f => f.Number == 4).SelectMany(f => f.Payload.ToArray()).ToArray());
        if (type == 7)
            return new OnnxTensor(name, dims, type,
                MemoryMarshal.AsBytes(tf.Where(f => f.Number == 7).SelectMany(OnnxProto.Varints).ToArray().AsSpan()).ToArray());
        throw new InvalidDataException($"initializer {name}: ONNX data type {type} without raw_data is not supported");
    }

    /// <summary>The nodes that read <paramref name="tensor"/>.</summary>
    public IEnumerable<OnnxNode> Consumers(string tensor) => Nodes.Where(n => n.Inputs.Contains(tensor));

    public bool IsGraphOutput(string tensor) =>
        _graphFields.Any(f => f.Number == 12 && OnnxProto.Fields(f.Payload).FirstOrDefault(x => x.Number == 1).Text == tensor);

    public byte[] Write()
    {
        var w = new ProtoWriter();
        w.Varint(1, Math.Max(_irVersion, Opset >= 13 ? 7 : _irVersion));
        foreach (var f in _modelFields) w.Raw(f.Raw.Span);
        w.Message(8, new ProtoWriter().String(1, "").Varint(2, Opset));
        w.Bytes(7, WriteGraph());
        return w.ToArray();
    }

    byte[] WriteGraph()
    {
        var w = new ProtoWriter();
        foreach (var n in Nodes)
        {
            var nw = new ProtoWriter();
            foreach (var i in n.Inputs) nw.String(1, i);
            foreach (var o in n.Outputs) nw.String(2, o);
            if (n.Name.Length > 0) nw.String(3, n.Name);
            nw.String(4, n.OpType);
            foreach (var a in n.Attributes) nw.Bytes(5, a.Span);
            if (n.Domain.Length > 0) nw.String(7, n.Domain);
            w.Message(1, nw);
        }
        foreach (var t in Initializers.Values)
        {
            var tw = new ProtoWriter();
            foreach (var d in t.Dims) tw.Varint(1, d);
            tw.Varint(2, t.DataType).String(8, t.Name).Bytes(9, t.Raw);
            w.Message(5, tw);
        }
        foreach (var f in _graphFields) w.Raw(f.Raw.Span);
        foreach (var name in ExtraOutputs)
        {
            // ValueInfoProto { name, type { tensor_type { elem_type = FLOAT } } }: shape left to the runtime
            var type = new ProtoWriter().Message(1, new ProtoWriter().Varint(1, OnnxTensor.Float));
            w.Message(12, new ProtoWriter().String(1, name).Message(2, type));
        }
        return w.ToArray();
    }
}
