using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Cli.Commands;

/// <summary>Options shared by <c>recommend</c> and <c>serve</c>: what to search and how to embed queries.</summary>
class QuerySettings : ModelCatalogSettings
{
    [CommandOption("--frame-encoder <ENCODER>")]
    [Description("Frame encoder: resnet18 or an ONNX encoder config (.json); must be the one the model's training features were made with (default: the one the model records, else resnet18)")]
    public string? FrameEncoder { get; init; }

    [CommandOption("--precision <PRECISION>")]
    [Description("ResNet18 arithmetic: fp32 (default) or int8 (about 2x the frames/s; built from the fp32 model and cached on first use, docs/encoders.md)")]
    [DefaultValue(FramePrecision.Fp32)]
    public FramePrecision Precision { get; init; } = FramePrecision.Fp32;

    [CommandOption("--text-encoder <ENCODER>")]
    [Description("Text encoder: minilm or an ONNX encoder config (.json); must be the one the model was trained with (default: the one the model records, else minilm)")]
    public string? TextEncoder { get; init; }

    [CommandOption("--index <KIND>")]
    [Description("auto (exact below 100k segments, HNSW above), exact or hnsw")]
    [DefaultValue(IndexKind.Auto)]
    public IndexKind Index { get; init; } = IndexKind.Auto;

    [CommandOption("--fps <FPS>")]
    [Description("Frames per second embedded from the video (default 2: a third of the paper's 6, for speed; the query embedding stays within cosine 0.999 of the 6-fps one, see docs/catalog.md)")]
    [DefaultValue(QueryFps)]
    public double Fps { get; init; } = QueryFps;

    /// <summary>Frames per second a query samples by default: a third of the paper's, measured in docs/catalog.md.</summary>
    public const double QueryFps = 2;

    [CommandOption("--all-kinds")]
    [Description("Also return tracks whose sound was judged speech or other sound (excluded by default)")]
    public bool AllKinds { get; init; }

    protected override bool ModelRequired => false;

    public override ValidationResult Validate() =>
        Viml.Features.FeatureSpec.FpsProblem(Fps) is { } fps ? ValidationResult.Error($"--fps {fps}") : base.Validate();

    /// <summary>Loads the encoders and the model, and opens the catalog's index; without --model, words alone.</summary>
    public RecommendService Open(out IDisposable parts)
    {
        // The catalog, then the checkpoint (a broken one is reported as such), then whether the catalog is
        // current, all before any encoder loads; the built-in encoders load when a query first needs them.
        var catalog = MusicCatalog.Open(Catalog);
        if (string.IsNullOrWhiteSpace(Model))
        {
            var words = EncoderRegistry.CreateTextEncoder(TextEncoder ?? Viml.Features.FeatureSpec.Paper.TextEncoder!);
            parts = new Disposables(words);
            try { return WithKinds(new RecommendService(catalog, words, Index)); }
            catch { parts.Dispose(); throw; }
        }
        var model = new TrainedCatalogModel(Model);
        try { catalog.EnsureCurrent(model.Id); }
        catch { model.Dispose(); throw; }
        IFrameEncoder? frames = null;
        ITextEncoder? text = null;
        try
        {
            frames = EncoderRegistry.FrameEncoderOnDemand(FrameEncoder ?? QueryEncoders.Frame(model), Precision);
            text = EncoderRegistry.TextEncoderOnDemand(TextEncoder ?? QueryEncoders.Text(model));
        }
        catch { frames?.Dispose(); model.Dispose(); throw; }
        parts = new Disposables(model, frames, text);
        try { return WithKinds(new RecommendService(catalog, CatalogParts.Query(model, frames, text, Fps), Index)); }
        catch { parts.Dispose(); throw; }
    }

    static RecommendService WithKinds(RecommendService service)
    {
        service.MusicOnly = SoundKinds.MusicOnly(service.Catalog);
        return service;
    }

    sealed class Disposables(params IDisposable[] items) : IDisposable
    {
        public void Dispose() { foreach (var d in items) d.Dispose(); }
    }
}
