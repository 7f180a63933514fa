using Microsoft.ML.OnnxRuntime;

namespace Viml.Encoders.Onnx;

/// <summary>
/// How an ONNX image model is run. <see cref="Default"/> is the fastest measured on a busy 2-core CPU
/// (docs/encoders.md): one single-threaded session per core (at most 4), each running its own batches of 4 frames
/// through the graph whose batch dimension was made symbolic; no thread synchronisation inside a run.
/// </summary>
/// <param name="BatchSize">Frames per session run (needs a symbolic batch dimension when &gt; 1).</param>
/// <param name="Sessions">Sessions run in parallel, each on its share of the batches; 0 = one per core, at most 4.</param>
/// <param name="IntraOpThreads">Threads per session; 0 = cores / sessions.</param>
/// <param name="SymbolicBatch">Rewrite a fixed batch dimension of the graph to a symbolic one.</param>
/// <param name="Spinning">Let idle intra-op threads spin (lower latency, burns CPU others could use).</param>
/// <param name="DefaultSession">Use ONNX Runtime's default <see cref="SessionOptions"/> untouched (the baseline).</param>
public sealed record OnnxExecution(int BatchSize = 4, int Sessions = 0, int IntraOpThreads = 0,
    bool SymbolicBatch = true, bool Spinning = false, bool DefaultSession = false)
{
    public int SessionCount => Sessions > 0 ? ThreadCount.Resolve(Sessions, "sessions") : Math.Clamp(Environment.ProcessorCount, 1, 4);
    public static OnnxExecution Default { get; } = new();
    /// <summary>The model as shipped: batch 1, one default session.</summary>
    public static OnnxExecution Baseline { get; } = new(BatchSize: 1, Sessions: 1, SymbolicBatch: false, Spinning: true, DefaultSession: true);
}

/// <summary>Runs an image model over many images in batches, on one or more sessions; input and output named by the caller.</summary>
internal sealed class OnnxImageRunner : IDisposable
{
    readonly InferenceSession[] _sessions;
    readonly string _input, _output;
    readonly long[] _itemShape;
    readonly bool _fixedBatch;                 // the graph only takes exactly BatchSize items
    readonly RunOptions _runOptions = new();
    public int BatchSize { get; }
    public int ItemSize { get; }

    public OnnxImageRunner(byte[] model, string modelPath, string input, string output, OnnxExecution exec)
    {
        if (exec.BatchSize < 1 || exec.Sessions < 0 || exec.IntraOpThreads < 0)
            throw new ConfigException($"{modelPath}: batch size must be >= 1, sessions and threads >= 0");
        if ((ThreadCount.Problem(exec.Sessions) ?? ThreadCount.Problem(exec.IntraOpThreads)) is { } threads)
            throw new ConfigException($"{modelPath}: sessions and threads {threads}");
        _input = input; _output = output;
        int batch = exec.BatchSize;
        // read the graph's own input/output declarations instead of loading a throw-away session
        var (inputs, outputs) = OnnxProto.GraphIO(model);
        var im = inputs.FirstOrDefault(i => i.Name == input);
        if (im.Name == null)
            throw new ConfigException($"{modelPath}: field 'input': the model has no input '{input}' (inputs: {string.Join(", ", inputs.Select(i => i.Name))})");
        if (!outputs.Any(o => o.Name == output))
            throw new ConfigException($"{modelPath}: field 'output': the model has no output '{output}' (outputs: {string.Join(", ", outputs.Select(o => o.Name))})");
        var dims = im.Dims;
        if (dims.Length < 2 || dims.Skip(1).Any(d => d <= 0))
            throw new ConfigException($"{modelPath}: field 'input': '{input}' has shape [{string.Join(",", dims)}]; need [batch, fixed dims...]");
        _itemShape = dims[1..];
        bool fixedBatch = dims[0] > 0;
        if (fixedBatch && exec.SymbolicBatch && batch > 1) model = OnnxProto.MakeBatchSymbolic(model, out _);
        else if (fixedBatch) { batch = (int)dims[0]; _fixedBatch = true; }
        BatchSize = batch;
        ItemSize = checked((int)_itemShape.Aggregate(1L, (a, d) => a * d));
        _sessions = new InferenceSession[exec.SessionCount];
        try
        {
            for (int i = 0; i < _sessions.Length; i++)
            {
                using var so = Options(exec);
                _sessions[i] = new InferenceSession(model, so);
            }
        }
        catch { Dispose(); throw; }
    }

    static SessionOptions Options(OnnxExecution exec)
    {
        var so = new SessionOptions();
        if (exec.DefaultSession)
        {
            if (!exec.Spinning) so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            return so;
        }
        so.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
        so.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
        so.EnableMemoryPattern = true;
        so.EnableCpuMemArena = true;
        so.InterOpNumThreads = 1;
        so.IntraOpNumThreads = exec.IntraOpThreads > 0 ? ThreadCount.Resolve(exec.IntraOpThreads) : Math.Max(1, Environment.ProcessorCount / exec.SessionCount);
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", exec.Spinning ? "1" : "0");
        return so;
    }

    /// <summary>Runs <paramref name="count"/> items; <paramref name="fill"/> writes item i's input (<see cref="ItemSize"/> floats).</summary>
    public float[][] Run(int count, Action<int, Span<float>> fill, CancellationToken ct = default)
    {
        var results = new float[count][];
        int chunks = (count + BatchSize - 1) / BatchSize;
        int workers = Math.Min(_sessions.Length, chunks);
        if (workers <= 1) { if (chunks > 0) Worker(0, 1); }
        else
        {
            try { Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = ct }, w => Worker(w, workers)); }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        return results;

        void Worker(int w, int stride)
        {
            var session = _sessions[w];
            var buffer = new float[BatchSize * ItemSize];
            for (int chunk = w; chunk < chunks; chunk += stride)
            {
                ct.ThrowIfCancellationRequested();
                int start = chunk * BatchSize, n = Math.Min(BatchSize, count - start);
                for (int i = 0; i < n; i++) fill(start + i, buffer.AsSpan(i * ItemSize, ItemSize));
                // a fixed-batch model always gets its full batch; the unused tail is ignored
                int runN = _fixedBatch ? BatchSize : n;
                if (runN > n) buffer.AsSpan(n * ItemSize).Clear();
                long[] shape = [runN, .. _itemShape];
                using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, runN * ItemSize), shape);
                using var outputs = session.Run(_runOptions, [_input], [value], [_output]);
                var data = outputs[0].GetTensorDataAsSpan<float>();
                int dim = data.Length / runN;
                for (int i = 0; i < n; i++) results[start + i] = data.Slice(i * dim, dim).ToArray();
            }
        }
    }

    public void Dispose()
    {
        foreach (var s in _sessions ?? []) s?.Dispose();
        _runOptions.Dispose();
    }
}
