using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Viml.Text;

/// <summary>One completion to ask a language model for.</summary>
public sealed record CompletionRequest(string Prompt, int MaxTokens, IReadOnlyList<string> Stop, float Temperature = 0.8f, int Seed = 0);

/// <summary>A text-completion language model (the prompt2text backend).</summary>
public interface ILanguageModel : IDisposable
{
    string Name { get; }
    /// <summary>Tokens the prompt and the completion may use together.</summary>
    int ContextTokens { get; }
    /// <summary>Tokens of a text in this model's vocabulary (an estimate where the model is remote).</summary>
    int CountTokens(string text);
    /// <summary>The raw completion; throws <see cref="LanguageModelException"/> when the model fails.</summary>
    string Complete(CompletionRequest request, CancellationToken ct = default);
}

/// <summary>A language model failed to answer. <see cref="Transient"/>: worth another try (timeout, 5xx, 429, refused
/// connection); otherwise the configuration is wrong (bad key, unknown model, bad URL) and every call would fail.</summary>
public sealed class LanguageModelException : VimlException
{
    public bool Transient { get; }
    public LanguageModelException(string message, bool transient, Exception? inner = null) : base(message, inner) => Transient = transient;
}

/// <summary>Where prompt2text's language model comes from: a local GGUF file, or an OpenAI-compatible endpoint.</summary>
public sealed record LanguageModelConfig
{
    /// <summary>Local GGUF model file (LLamaSharp).</summary>
    public string? GgufPath { get; init; }
    /// <summary>Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1.</summary>
    public string? BaseUrl { get; init; }
    public string? Model { get; init; }
    public string? ApiKey { get; init; }
    /// <summary>Use /chat/completions (one user message holding the prompt) instead of /completions.</summary>
    public bool Chat { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    public int ContextTokens { get; init; } = 2048;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(GgufPath) || !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>Fills what is not set from VIML_LM_GGUF, VIML_LM_BASE_URL, VIML_LM_MODEL, VIML_LM_API_KEY (or OPENAI_API_KEY).</summary>
    public LanguageModelConfig WithEnvironment() => this with
    {
        GgufPath = GgufPath ?? Env("VIML_LM_GGUF"),
        BaseUrl = BaseUrl ?? Env("VIML_LM_BASE_URL"),
        Model = Model ?? Env("VIML_LM_MODEL"),
        ApiKey = ApiKey ?? Env("VIML_LM_API_KEY") ?? Env("OPENAI_API_KEY"),
    };

    static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    /// <summary>Opens the configured model; <see cref="ConfigException"/> naming the problem when it cannot.</summary>
    public ILanguageModel Open()
    {
        if (!string.IsNullOrWhiteSpace(GgufPath) && !string.IsNullOrWhiteSpace(BaseUrl))
            throw new ConfigException("give either a GGUF model file or an endpoint URL for prompt2text, not both");
        if (!string.IsNullOrWhiteSpace(GgufPath)) return new LlamaSharpModel(GgufPath!, ContextTokens);
        if (!string.IsNullOrWhiteSpace(BaseUrl)) return new OpenAiCompatibleModel(BaseUrl!, Model, ApiKey, Chat, Timeout, ContextTokens);
        throw new ConfigException("prompt2text needs a language model: --gguf <model.gguf> or --lm-url <OpenAI-compatible base URL> (or VIML_LM_GGUF / VIML_LM_BASE_URL)");
    }
}

/// <summary>
/// Any OpenAI-compatible HTTP API (llama.cpp server, vLLM, Ollama, OpenAI, ...): POST <c>{base}/completions</c>
/// with prompt, max_tokens, temperature, stop and seed (or <c>{base}/chat/completions</c>). Key as a Bearer token.
/// </summary>
public sealed class OpenAiCompatibleModel : ILanguageModel
{
    readonly HttpClient _http;
    readonly Uri _endpoint;
    readonly string? _model;
    readonly bool _chat;

    public string Name => $"{_endpoint} ({_model ?? "default model"})";
    public int ContextTokens { get; }

    public OpenAiCompatibleModel(string baseUrl, string? model, string? apiKey, bool chat, TimeSpan timeout, int contextTokens = 2048, HttpMessageHandler? handler = null)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var b) || (b.Scheme != "http" && b.Scheme != "https"))
            throw new ConfigException($"language model URL '{baseUrl}' is not an http(s) URL");
        _endpoint = new Uri(b, chat ? "chat/completions" : "completions");
        _model = model;
        _chat = chat;
        ContextTokens = contextTokens;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = timeout;
        if (!string.IsNullOrEmpty(apiKey)) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <summary>About four characters a token for English text.</summary>
    public int CountTokens(string text) => (text.Length + 3) / 4;

    public string Complete(CompletionRequest request, CancellationToken ct = default)
    {
        var body = new JsonObject
        {
            ["max_tokens"] = request.MaxTokens,
            ["temperature"] = request.Temperature,
            ["seed"] = request.Seed,
            ["stop"] = new JsonArray(request.Stop.Take(4).Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
        };
        if (_model != null) body["model"] = _model;
        if (_chat) body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = request.Prompt });
        else body["prompt"] = request.Prompt;

        HttpResponseMessage resp;
        string text;
        try
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            resp = _http.PostAsync(_endpoint, content, ct).GetAwaiter().GetResult();
            text = resp.Content.ReadAsStringAsync(ct).GetAwaiter().GetResult();
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new LanguageModelException($"{_endpoint}: no answer within {_http.Timeout.TotalSeconds:0.#} s", transient: true, e);
        }
        catch (HttpRequestException e)
        {
            throw new LanguageModelException($"{_endpoint}: cannot connect ({e.Message})", transient: true, e);
        }
        using (resp)
        {
            if (!resp.IsSuccessStatusCode)
            {
                int code = (int)resp.StatusCode;
                bool transient = code >= 500 || resp.StatusCode == HttpStatusCode.TooManyRequests || resp.StatusCode == HttpStatusCode.RequestTimeout;
                string hint = resp.StatusCode switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " (check the API key: VIML_LM_API_KEY)",
                    HttpStatusCode.NotFound => " (check the base URL and the model name)",
                    _ => "",
                };
                throw new LanguageModelException($"{_endpoint}: HTTP {code} {resp.ReasonPhrase}{hint}: {Snippet(text)}", transient);
            }
        }
        try
        {
            var choice = JsonNode.Parse(text)?["choices"]?[0];
            string? s = _chat ? choice?["message"]?["content"]?.GetValue<string>() : choice?["text"]?.GetValue<string>();
            return s ?? throw new LanguageModelException($"{_endpoint}: the answer has no choices[0].{(_chat ? "message.content" : "text")}: {Snippet(text)}", transient: true);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new LanguageModelException($"{_endpoint}: the answer is not OpenAI-style JSON: {Snippet(text)}", transient: true, e);
        }
    }

    static string Snippet(string s) => s.Length <= 200 ? s : s[..200] + "...";

    public void Dispose() => _http.Dispose();
}
