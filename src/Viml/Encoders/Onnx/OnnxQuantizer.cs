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

    /// <summary>
    /// The float activations that get a scale: the data inputs of Conv and the inputs of Add. With
    /// <paramref name="firstConv"/> false, a Conv reading a graph input (the pixels) stays float; the last
    /// <paramref name="floatTailAdds"/> Adds stay float too. Add results are not given a range of their own: ONNX Runtime
    /// folds Add, the ReLU after it and the next QuantizeLinear into one QLinearAdd.
    /// </summary>
    public static List<string> ActivationsToQuantize(OnnxGraph g, bool firstConv = false, int floatTailAdds = 0) =>
        ActivationsToQuantize(g, firstConv ? 0 : 1, 0, floatTailAdds);

    /// <summary>As above, with the first <paramref name="floatHeadConvs"/> Convs and <paramref name="floatHeadAdds"/> Adds
    /// (in graph order) kept float as well: the early layers, where small, noisy activations lose most to one scale.</summary>
    public static List<string> ActivationsToQuantize(OnnxGraph g, int floatHeadConvs, int floatHeadAdds, int floatTailAdds)
    {
        var set = new List<string>();
        var adds = g.Nodes.Where(n => n.OpType == "Add").ToList();
        var floatAdds = adds.Skip(Math.Max(0, adds.Count - floatTailAdds)).Concat(adds.Take(floatHeadAdds)).ToHashSet();
        var floatConvs = g.Nodes.Where(n => n.OpType == "Conv").Take(floatHeadConvs).ToHashSet();
        void Add(string t) { if (!g.Initializers.ContainsKey(t) && !set.Contains(t)) set.Add(t); }
        foreach (var n in g.Nodes)
            if (n.OpType == "Conv" && !floatConvs.Contains(n)) Add(n.Inputs[0]);
            else if (n.OpType == "Add" && !floatAdds.Contains(n)) n.Inputs.ForEach(Add);
        return set;
    }

    /// <summary>
    /// The range of each tensor in <paramref name="tensors"/> over the calibration inputs, (the mean over batches of the batch's <paramref name="percentile"/> of positive values and of negative
    /// values: a few extreme activations would otherwise widen every quantization step), computed by running
    /// <paramref name="graph"/> (float) with those tensors as extra outputs. <paramref name="batches"/> yields input
    /// tensors of shape [n, ...<paramref name="itemShape"/>].
    /// </summary>
    public static Dictionary<string, (float Min, float Max)> Calibrate(OnnxGraph graph, string input, long[] itemShape,
        IReadOnlyList<string> tensors, IEnumerable<float[]> batches, double percentile = 0.9999)
    {
        graph.ExtraOutputs.Clear();
        graph.ExtraOutputs.AddRange(tensors.Where(t => !graph.IsGraphOutput(t) && t != input));
        byte[] model = OnnxProto.MakeBatchSymbolic(graph.Write(), out _);
        graph.ExtraOutputs.Clear();
        var sums = tensors.ToDictionary(t => t, _ => (Min: 0.0, Max: 0.0));
        int count = 0;
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
            if (sums.ContainsKey(input)) Accumulate(input, batch, 1.0);   // the pixels: their whole range
            using var ro = new RunOptions();
            using var results = session.Run(ro, [input], [value], outputs);
            for (int i = 0; i < outputs.Length; i++) Accumulate(outputs[i], results[i].GetTensorDataAsSpan<float>(), percentile);
            count++;
        }
        if (count == 0) throw new ArgumentException("no calibration inputs", nameof(batches));
        var ranges = sums.ToDictionary(kv => kv.Key, kv => (Min: (float)(kv.Value.Min / count), Max: (float)(kv.Value.Max / count)));
        foreach (var (t, r) in ranges)
            if (!float.IsFinite(r.Min) || !float.IsFinite(r.Max))
                throw new InvalidDataException($"calibration gave no finite range for tensor {t}");
        return ranges;

        void Accumulate(string t, ReadOnlySpan<float> data, double p)
        {
            var (lo, hi) = sums[t];
            sums[t] = (lo - Percentile(data, -1, p), hi + Percentile(data, 1, p));
        }
    }

    /// <summary>The <paramref name="p"/> quantile of the magnitudes of the values of one sign (0 when there are none),
    /// from a 4096-bin histogram.</summary>
    internal static double Percentile(ReadOnlySpan<float> data, int sign, double p)
    {
        float max = 0; long n = 0;
        foreach (float v in data) { float m = v * sign; if (m > 0) { n++; if (m > max) max = m; } }
        if (n == 0 || !float.IsFinite(max)) return max;
        const int bins = 4096;
        var hist = new long[bins];
        float k = bins / max;
        foreach (float v in data) { float m = v * sign; if (m > 0) hist[Math.Min(bins - 1, (int)(m * k))]++; }
        long target = (long)Math.Ceiling(p * n), seen = 0;
        for (int b = 0; b < bins; b++) if ((seen += hist[b]) >= target) return (b + 1) / (double)k;
        return max;
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
