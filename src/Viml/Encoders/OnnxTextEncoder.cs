using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace Viml.Encoders;

/// <summary>
/// A BERT-family sentence encoder on ONNX Runtime: WordPiece tokens (Microsoft.ML.Tokenizers' BertTokenizer, the
/// Hugging Face BERT rules: lower-casing, accent stripping, CJK characters split, punctuation split), at most
/// <see cref="OnnxEncoderConfig.MaxTokens"/> with [CLS] and [SEP]; token outputs mean-pooled over the real tokens (or
/// the [CLS] token), then L2-normalised when asked. Texts run in length-sorted batches padded to their longest.
/// </summary>
public sealed class OnnxTextEncoder : ITextEncoder
{
    const int BatchSize = 16;
    readonly InferenceSession _session;
    readonly BertTokenizer _tokenizer;
    readonly OnnxEncoderConfig _c;
    readonly RunOptions _run = new();

    public string Name { get; }
    public int Dimension { get; }

    /// <summary>From a config of kind text (see <see cref="OnnxEncoderConfig.Load"/>).</summary>
    public OnnxTextEncoder(OnnxEncoderConfig config)
        : this(config, File.ReadAllBytes(config.ModelPath), OpenVocab(config), config.Name ?? Path.GetFileNameWithoutExtension(config.Model)) { }

    static Stream OpenVocab(OnnxEncoderConfig c)
    {
        if (c.Kind != EncoderKind.Text) throw new ConfigException($"{c.Source}: field 'kind': a text encoder needs kind \"text\"");
        c.Validate();
        return File.OpenRead(c.VocabPath!);
    }

    /// <summary>For models shipped inside packages: the model bytes and vocabulary stream given directly.</summary>
    internal OnnxTextEncoder(OnnxEncoderConfig config, byte[] model, Stream vocab, string name, SessionOptions? options = null)
    {
        _c = config; Name = name;
        using (vocab)
        {
            try { _tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = config.Lowercase, RemoveNonSpacingMarks = config.Lowercase }); }
            catch (Exception e) when (e is not VimlException) { throw new ConfigException($"{config.Source}: field 'vocab': not a WordPiece vocabulary: {e.Message}", e); }
        }
        try { _session = options == null ? new InferenceSession(model) : new InferenceSession(model, options); }
        catch (OnnxRuntimeException e) { throw new ConfigException($"{config.Source}: field 'model': ONNX Runtime cannot load {config.ModelPath}: {e.Message}", e); }
        void Need(string? input, string field)
        {
            if (input != null && !_session.InputMetadata.ContainsKey(input))
                throw new ConfigException($"{config.Source}: field '{field}': the model has no input '{input}' (inputs: {string.Join(", ", _session.InputMetadata.Keys)})");
        }
        Need(config.Input, "input"); Need(config.AttentionMask, "attentionMask"); Need(config.TokenTypeIds, "tokenTypeIds");
        if (!_session.OutputMetadata.ContainsKey(config.Output))
            throw new ConfigException($"{config.Source}: field 'output': the model has no output '{config.Output}' (outputs: {string.Join(", ", _session.OutputMetadata.Keys)})");
        Dimension = Embed([""])[0].Length;
    }

    /// <summary>
    /// WordPiece ids of one text, [CLS] ... [SEP], cut to the token budget at a token (as Hugging Face truncation does,
    /// possibly inside a word): the tokenizer is asked for a word's worth of slack, then the ids are cut.
    /// </summary>
    internal int[] Tokenize(string text)
    {
        int budget = _c.MaxTokens - 2;
        var ids = _tokenizer.EncodeToIds(_c.Lowercase ? AccentFolding.Fold(text) : text, budget + MaxTokensPerWord, addSpecialTokens: false, out _, out _);
        int n = Math.Min(budget, ids.Count);
        var result = new int[n + 2];
        result[0] = _tokenizer.ClassificationTokenId;
        for (int i = 0; i < n; i++) result[i + 1] = ids[i];
        result[^1] = _tokenizer.SeparatorTokenId;
        return result;
    }

    /// <summary>WordPiece gives up on words longer than 100 characters ([UNK]), so no word yields more tokens.</summary>
    const int MaxTokensPerWord = 100;

    public float[][] Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var ids = new int[texts.Count][];
        for (int i = 0; i < texts.Count; i++)
            ids[i] = Tokenize(texts[i] ?? throw new InvalidInputException($"text {i} is null (use the empty string for no text)"));
        var order = Enumerable.Range(0, ids.Length).OrderBy(i => ids[i].Length).ToArray();
        var result = new float[texts.Count][];
        for (int b = 0; b < order.Length; b += BatchSize)
        {
            var batch = order.Skip(b).Take(BatchSize).ToArray();
            var vectors = RunBatch(batch.Select(i => ids[i]).ToArray());
            for (int k = 0; k < batch.Length; k++) result[batch[k]] = vectors[k];
        }
        return result;
    }

    float[][] RunBatch(int[][] ids)
    {
        int n = ids.Length, t = ids.Max(x => x.Length);
        var tokens = new long[n * t]; var mask = new long[n * t]; var types = new long[n * t];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < ids[i].Length; j++) { tokens[i * t + j] = ids[i][j]; mask[i * t + j] = 1; }
        long[] shape = [n, t];
        var names = new List<string> { _c.Input };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(tokens, shape) };
        try
        {
            if (_c.AttentionMask != null) { names.Add(_c.AttentionMask); values.Add(OrtValue.CreateTensorValueFromMemory(mask, shape)); }
            if (_c.TokenTypeIds != null) { names.Add(_c.TokenTypeIds); values.Add(OrtValue.CreateTensorValueFromMemory(types, shape)); }
            using var outputs = _session.Run(_run, names, values, [_c.Output]);
            var output = outputs[0];
            var dims = output.GetTensorTypeAndShape().Shape;
            var data = output.GetTensorDataAsSpan<float>();
            var result = new float[n][];
            for (int i = 0; i < n; i++)
            {
                float[] v;
                if (dims.Length == 3 && _c.Pooling != TextPooling.None)
                {
                    int d = (int)dims[2], len = (int)dims[1];
                    v = new float[d];
                    if (_c.Pooling == TextPooling.Cls) data.Slice(i * len * d, d).CopyTo(v);
                    else
                    {
                        int real = ids[i].Length;   // attention-mask-weighted mean = mean over the real tokens
                        for (int j = 0; j < real; j++) TensorPrimitives.Add(v, data.Slice((i * len + j) * d, d), v);
                        TensorPrimitives.Divide(v, real, v);
                    }
                }
                else
                {
                    int d = data.Length / n;
                    v = data.Slice(i * d, d).ToArray();
                }
                if (_c.Normalize)
                {
                    float norm = TensorPrimitives.Norm(v);
                    if (norm > 1e-12f) TensorPrimitives.Divide(v, norm, v);
                }
                result[i] = v;
            }
            return result;
        }
        finally { foreach (var v in values) v.Dispose(); }
    }

    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
