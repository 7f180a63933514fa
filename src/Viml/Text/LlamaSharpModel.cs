using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Viml.Text;

/// <summary>A local GGUF language model run by LLamaSharp (llama.cpp) on the CPU, one stateless completion per call.</summary>
public sealed class LlamaSharpModel : ILanguageModel
{
    readonly LLamaWeights _weights;
    readonly ModelParams _params;
    static int _logSilenced;

    public string Name { get; }
    public int ContextTokens { get; }

    public LlamaSharpModel(string ggufPath, int contextTokens = 2048, int? threads = null)
    {
        if (!File.Exists(ggufPath)) throw new ConfigException($"{ggufPath}: GGUF model file not found");
        using (var f = File.OpenRead(ggufPath))
        {
            Span<byte> magic = stackalloc byte[4];
            if (f.Read(magic) != 4 || Encoding.ASCII.GetString(magic) != "GGUF")
                throw new ConfigException($"{ggufPath}: not a GGUF model file (it does not start with 'GGUF')");
        }
        if (Interlocked.Exchange(ref _logSilenced, 1) == 0)
            NativeLogConfig.llama_log_set((level, message) => { }); // llama.cpp writes a lot to stderr otherwise
        Name = Path.GetFileName(ggufPath);
        ContextTokens = contextTokens;
        _params = new ModelParams(ggufPath)
        {
            ContextSize = (uint)contextTokens,
            GpuLayerCount = 0,
            Threads = ThreadCount.Resolve(threads ?? 0),
        };
        try { _weights = LLamaWeights.LoadFromFile(_params); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ConfigException($"{ggufPath}: LLamaSharp cannot load this model ({e.Message})", e);
        }
    }

    public int CountTokens(string text) => _weights.Tokenize(text, true, false, Encoding.UTF8).Length;

    public string Complete(CompletionRequest request, CancellationToken ct = default)
    {
        if (CountTokens(request.Prompt) + request.MaxTokens > ContextTokens)
            throw new LanguageModelException($"{Name}: the prompt does not fit the {ContextTokens}-token context", transient: true);
        try
        {
            var executor = new StatelessExecutor(_weights, _params);
            var inference = new InferenceParams
            {
                MaxTokens = request.MaxTokens,
                AntiPrompts = request.Stop.ToList(),
                SamplingPipeline = new DefaultSamplingPipeline { Temperature = request.Temperature, Seed = (uint)request.Seed },
            };
            var sb = new StringBuilder();
            var e = executor.InferAsync(request.Prompt, inference, ct).GetAsyncEnumerator(ct);
            try
            {
                while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult()) sb.Append(e.Current);
            }
            finally { e.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
            return sb.ToString();
        }
        catch (Exception e) when (e is not OperationCanceledException and not LanguageModelException)
        {
            throw new LanguageModelException($"{Name}: generation failed ({e.Message})", transient: true, e);
        }
    }

    public void Dispose() => _weights.Dispose();
}
