using Viml.Encoders.Onnx;

namespace Viml.Tests.Encoders;

/// <summary>Builds small ONNX models in the test (onnx.proto field numbers), so the generic encoders run on real graphs.</summary>
static class TinyOnnx
{
    public const int Float = 1, Int64 = 7;

    public static byte[] Model(ProtoWriter graph, int opset = 13) => new ProtoWriter()
        .Varint(1, 8)                                   // ir_version
        .String(2, "viml-tests")                        // producer_name
        .Message(7, graph)                              // graph
        .Message(8, new ProtoWriter().String(1, "").Varint(2, opset))   // opset_import
        .ToArray();

    public static ProtoWriter Graph(string name, IEnumerable<ProtoWriter> nodes, IEnumerable<ProtoWriter> initializers,
        IEnumerable<ProtoWriter> inputs, IEnumerable<ProtoWriter> outputs, IEnumerable<ProtoWriter>? valueInfo = null)
    {
        var g = new ProtoWriter();
        foreach (var n in nodes) g.Message(1, n);
        g.String(2, name);
        foreach (var t in initializers) g.Message(5, t);
        foreach (var i in inputs) g.Message(11, i);
        foreach (var o in outputs) g.Message(12, o);
        foreach (var v in valueInfo ?? []) g.Message(13, v);
        return g;
    }

    public static ProtoWriter Node(string op, string[] inputs, string[] outputs, params ProtoWriter[] attributes)
    {
        var n = new ProtoWriter();
        foreach (var i in inputs) n.String(1, i);
        foreach (var o in outputs) n.String(2, o);
        n.String(3, op + "_" + outputs[0]);
        n.String(4, op);
        foreach (var a in attributes) n.Message(5, a);
        return n;
    }

    public static ProtoWriter IntsAttribute(string name, params long[] values) => new ProtoWriter().String(1, name).PackedInt64(8, values).Varint(20, 7);
    public static ProtoWriter IntAttribute(string name, long value) => new ProtoWriter().String(1, name).Varint(3, value).Varint(20, 2);

    public static ProtoWriter FloatTensor(string name, long[] dims, float[] values)
    {
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return new ProtoWriter().PackedInt64(1, dims).Varint(2, Float).String(8, name).Bytes(9, raw);
    }

    public static ProtoWriter Int64Tensor(string name, long[] dims, long[] values) =>
        new ProtoWriter().PackedInt64(1, dims).Varint(2, Int64).String(8, name).PackedInt64(7, values);

    /// <summary>A tensor value: each dim a number, or a string for a symbolic dimension.</summary>
    public static ProtoWriter Value(string name, int elemType, params object[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims)
            shape.Message(1, d is string s ? new ProtoWriter().String(2, s) : new ProtoWriter().Varint(1, Convert.ToInt64(d)));
        var tensor = new ProtoWriter().Varint(1, elemType).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensor));
    }

    /// <summary>
    /// An image encoder with a fixed batch of 1: planar image [1,3,h,w] -> GlobalAveragePool -> Reshape [1,-1] -> MatMul W [3,2],
    /// i.e. embedding = (per-channel mean of the input) x W.
    /// </summary>
    public static byte[] PoolingImageModel(int w, int h, float[] weights) => Model(Graph("pool_matmul",
        [
            Node("GlobalAveragePool", ["image"], ["pooled"]),
            Node("Reshape", ["pooled", "flat_shape"], ["flat"]),
            Node("MatMul", ["flat", "W"], ["embedding"]),
        ],
        [Int64Tensor("flat_shape", [2], [1, -1]), FloatTensor("W", [3, 2], weights)],
        [Value("image", Float, 1, 3, h, w)],
        [Value("embedding", Float, 1, 2)],
        [Value("pooled", Float, 1, 3, 1, 1), Value("flat", Float, 1, 3)]));

    /// <summary>Interleaved image [1,h,w,3] -> ReduceMean over h, w -> MatMul W [3,2].</summary>
    public static byte[] NhwcImageModel(int w, int h, float[] weights) => Model(Graph("nhwc",
        [
            Node("ReduceMean", ["image"], ["pooled"], IntsAttribute("axes", 1, 2), IntAttribute("keepdims", 0)),
            Node("MatMul", ["pooled", "W"], ["embedding"]),
        ],
        [FloatTensor("W", [3, 2], weights)],
        [Value("image", Float, 1, h, w, 3)],
        [Value("embedding", Float, 1, 2)]));

    /// <summary>A "sentence encoder": token ids [N,T] -> Gather rows of E [V,D] -> last_hidden_state [N,T,D].</summary>
    public static byte[] EmbeddingTextModel(float[] table, int vocab, int dim) => Model(Graph("gather",
        [Node("Gather", ["E", "input_ids"], ["last_hidden_state"])],
        [FloatTensor("E", [vocab, dim], table)],
        [Value("input_ids", Int64, "N", "T"), Value("attention_mask", Int64, "N", "T")],
        [Value("last_hidden_state", Float, "N", "T", dim)]));
}
