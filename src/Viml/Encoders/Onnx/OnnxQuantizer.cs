using Microsoft.ML.OnnxRuntime;

namespace Viml.Encoders.Onnx;

/// <summary>
/// Static int8 quantization of a convolutional ONNX image model in the QDQ format, which ONNX Runtime turns into
/// QLinearConv / QLinearAdd with int8 (VNNI where the CPU has it) kernels:
/// <list type="number">
/// <item>BatchNormalization nodes that follow a Conv are folded into its weights and bias;</item>
/// <item>the activations read by Conv and Add (and Add's results) get per-tensor uint8 scales from their
/// min/max over calibration inputs (a QuantizeLinear/DequantizeLinear pair each);</item>
/// <item>Conv weights become int8 with one symmetric scale per output channel, biases int32 at the product scale.</item>
/// </list>
/// The model is written with opset 13 (per-channel DequantizeLinear).
/// </summary>
internal static class OnnxQuantizer
{
    const int QuantOpset = 13;

    /// <summary>Folds every BatchNormalization that is the only reader of a Conv's output into that Conv.</summary>
    public static int FoldBatchNorms(OnnxGraph g)
    {
        int folded = 0;
        foreach (var bn in g.Nodes.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            var conv = g.Nodes.FirstOrDefault(n => n.OpType == "Conv" && n.Outputs[0] == bn.Inputs[0]);
            if (conv is null || g.Consumers(bn.Inputs[0]).Count() != 1 || g.IsGraphOutput(bn.Inputs[0])) continue;
            if (bn.Inputs.Count != 5 || conv.Inputs.Count < 2 || !g.Initializers.ContainsKey(conv.Inputs[1])) continue;
            if (!bn.Inputs.Skip(1).All(g.Initializers.ContainsKey)) continue;
            float[] gamma = g.Initializers[bn.Inputs[1]].Floats(), beta = g.Initializers[bn.Inputs[2]].Floats();
            float[] mean = g.Initializers[bn.Inputs[3]].Floats(), variance = g.Initializers[bn.Inputs[4]].Floats();
            float eps = bn.FloatAttribute("epsilon", 1e-5f);
            var w = g.Initializers[conv.Inputs[1]];
            float[] weights = w.Floats();
            int outC = (int)w.Dims[0], per = weights.Length / outC;
            if (gamma.Length != outC || beta.Length != outC || mean.Length != outC || variance.Length != outC) continue;
            float[] bias = conv.Inputs.Count > 2 ? g.Initializers[conv.Inputs[2]].Floats() : new float[outC];
            for (int o = 0; o < outC; o++)
            {
                double s = gamma[o] / Math.Sqrt(variance[o] + eps);
                for (int k = 0; k < per; k++) weights[o * per + k] = (float)(weights[o * per + k] * s);
                bias[o] = (float)(beta[o] + (bias[o] - mean[o]) * s);
            }
            string wName = conv.Inputs[1] + "_folded", bName = conv.Outputs[0] + "_bias";
            g.Initializers[wName] = OnnxTensor.Of(wName, w.Dims, weights);
            g.Initializers[bName] = OnnxTensor.Of(bName, [outC], bias);
            conv.Inputs[1] = wName;
            if (conv.Inputs.Count > 2) conv.Inputs[2] = bName; else conv.Inputs.Add(bName);
            conv.Outputs[0] = bn.Outputs[0];
            g.Nodes.Remove(bn);
            folded++;
        }
        RemoveUnusedInitializers(g);
        return folded;
    }

    /// <summary>The float activations that get a scale: the data inputs of Conv, the inputs and output of Add.</summary>
    public static List<string> ActivationsToQuantize(OnnxGraph g)
    {
        var set = new List<string>();
        void Add(string t) { if (!g.Initializers.ContainsKey(t) && !set.Contains(t)) set.Add(t); }
        foreach (var n in g.Nodes)
            if (n.OpType == "Conv") Add(n.Inputs[0]);
            else if (n.OpType == "Add") { n.Inputs.ForEach(Add); if (!g.IsGraphOutput(n.Outputs[0])) Add(n.Outputs[0]); }
        return set;
    }

    /// <summary>
    /// Min and max of each tensor in <paramref name="tensors"/> over the calibration inputs, computed by running
    /// <paramref name="graph"/> (float) with those tensors as extra outputs. <paramref name="batches"/> yields input
    /// tensors of shape [n, ...<paramref name="itemShape"/>].
    /// </summary>
    public static Dictionary<string, (float Min, float Max)> Calibrate(OnnxGraph graph, string input, long[] itemShape,
        IReadOnlyList<string> tensors, IEnumerable<float[]> batches)
    {
        graph.ExtraOutputs.Clear();
        graph.ExtraOutputs.AddRange(tensors.Where(t => !graph.IsGraphOutput(t) && t != input));
        byte[] model = OnnxProto.MakeBatchSymbolic(graph.Write(), out _);
        graph.ExtraOutputs.Clear();
        var ranges = tensors.ToDictionary(t => t, _ => (Min: float.PositiveInfinity, Max: float.NegativeInfinity));
        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC };
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        using var session = new InferenceSession(model, so);
        var outputs = tensors.Where(t => t != input).ToArray();
        foreach (var batch in batches)
        {
            int itemSize = (int)itemShape.Aggregate(1L, (a, d) => a * d);
            if (batch.Length == 0 || batch.Length % itemSize != 0)
                throw new ArgumentException($"calibration batch of {batch.Length} values is not a whole number of inputs", nameof(batches));
            long[] shape = [batch.Length / itemSize, .. itemShape];
            using var value = OrtValue.CreateTensorValueFromMemory(batch, shape);
            if (ranges.ContainsKey(input)) Widen(input, batch);
            using var results = session.Run(new RunOptions(), [input], [value], outputs);
            for (int i = 0; i < outputs.Length; i++) Widen(outputs[i], results[i].GetTensorDataAsSpan<float>());
        }
        foreach (var (t, r) in ranges)
            if (!float.IsFinite(r.Min) || !float.IsFinite(r.Max))
                throw new InvalidDataException($"calibration gave no finite range for tensor {t}");
        return ranges;

        void Widen(string t, ReadOnlySpan<float> data)
        {
            var (lo, hi) = ranges[t];
            foreach (float v in data) { if (v < lo) lo = v; if (v > hi) hi = v; }
            ranges[t] = (lo, hi);
        }
    }

    /// <summary>Rewrites <paramref name="g"/> (BatchNorms already folded) to QDQ int8 with the given activation ranges.</summary>
    public static void Quantize(OnnxGraph g, IReadOnlyDictionary<string, (float Min, float Max)> ranges)
    {
        var scales = new Dictionary<string, float>();
        foreach (var (t, (min, max)) in ranges)
        {
            // uint8, asymmetric; the range always holds 0 so that 0 (padding, ReLU) is exact
            float lo = Math.Min(0, min), hi = Math.Max(0, max);
            float scale = hi > lo ? (hi - lo) / 255f : 1f;
            byte zp = (byte)Math.Clamp(Math.Round(-lo / scale), 0, 255);
            scales[t] = scale;
            string q = t + "_q", dq = t + "_dq";
            foreach (var n in g.Consumers(t).ToList())
                for (int i = 0; i < n.Inputs.Count; i++) if (n.Inputs[i] == t) n.Inputs[i] = dq;
            g.Initializers[t + "_scale"] = OnnxTensor.Of(t + "_scale", [], [scale]);
            g.Initializers[t + "_zp"] = OnnxTensor.Of(t + "_zp", [], [zp]);
            int at = g.Nodes.FindIndex(n => n.Outputs.Contains(t)) + 1;   // after the producer; 0 for a graph input
            g.Nodes.Insert(at, new OnnxNode("QuantizeLinear", [t, t + "_scale", t + "_zp"], [q]) { Name = q });
            g.Nodes.Insert(at + 1, new OnnxNode("DequantizeLinear", [q, t + "_scale", t + "_zp"], [dq]) { Name = dq });
        }
        foreach (var conv in g.Nodes.Where(n => n.OpType == "Conv").ToList())
        {
            string x = conv.Inputs[0];
            if (!x.EndsWith("_dq", StringComparison.Ordinal) || !scales.TryGetValue(x[..^3], out float xScale)) continue;
            if (!g.Initializers.TryGetValue(conv.Inputs[1], out var w)) continue;
            QuantizeWeights(g, conv, w, xScale);
        }
        g.Opset = Math.Max(g.Opset, QuantOpset);
        RemoveUnusedInitializers(g);
    }

    static void QuantizeWeights(OnnxGraph g, OnnxNode conv, OnnxTensor w, float xScale)
    {
        float[] weights = w.Floats();
        int outC = (int)w.Dims[0], per = weights.Length / outC;
        var q = new sbyte[weights.Length];
        var wScale = new float[outC];
        for (int o = 0; o < outC; o++)
        {
            float absMax = 0;
            for (int k = 0; k < per; k++) absMax = Math.Max(absMax, Math.Abs(weights[o * per + k]));
            wScale[o] = absMax > 0 ? absMax / 127f : 1f;
            for (int k = 0; k < per; k++)
                q[o * per + k] = (sbyte)Math.Clamp(Math.Round(weights[o * per + k] / wScale[o]), -127, 127);
        }
        string name = w.Name;
        AddPerChannel(g, conv, 1, name, w.Dims, OnnxTensor.Of(name + "_int8", w.Dims, q), wScale,
            OnnxTensor.Of(name + "_int8_zp", [outC], new sbyte[outC]));
        if (conv.Inputs.Count < 3 || !g.Initializers.TryGetValue(conv.Inputs[2], out var b)) return;
        float[] bias = b.Floats();
        var bScale = wScale.Select(s => s * xScale).ToArray();
        var bq = new int[outC];
        for (int o = 0; o < outC; o++) bq[o] = (int)Math.Clamp(Math.Round(bias[o] / bScale[o]), int.MinValue + 1, int.MaxValue);
        AddPerChannel(g, conv, 2, b.Name, b.Dims, OnnxTensor.Of(b.Name + "_int32", b.Dims, bq), bScale,
            OnnxTensor.Of(b.Name + "_int32_zp", [outC], new int[outC]));
    }

    /// <summary>Input <paramref name="slot"/> of <paramref name="node"/> becomes DequantizeLinear(q, scales, zp, axis 0).</summary>
    static void AddPerChannel(OnnxGraph g, OnnxNode node, int slot, string name, long[] dims, OnnxTensor q,
        float[] scales, OnnxTensor zp)
    {
        string dq = name + "_dq_" + node.Outputs[0];
        g.Initializers[q.Name] = q;
        g.Initializers[q.Name + "_scale"] = OnnxTensor.Of(q.Name + "_scale", [scales.Length], scales);
        g.Initializers[zp.Name] = zp;
        node.Inputs[slot] = dq;
        g.Nodes.Insert(g.Nodes.IndexOf(node), new OnnxNode("DequantizeLinear", [q.Name, q.Name + "_scale", zp.Name], [dq])
        {
            Name = dq, Attributes = [OnnxNode.IntAttribute("axis", 0)],
        });
    }

    static void RemoveUnusedInitializers(OnnxGraph g)
    {
        var used = g.Nodes.SelectMany(n => n.Inputs).ToHashSet();
        foreach (var name in g.Initializers.Keys.Where(k => !used.Contains(k)).ToList()) g.Initializers.Remove(name);
    }
}
