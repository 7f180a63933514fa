using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Viml.Model;

/// <summary>A batch of items: base features padded to the longest item, the video's padding mask, and one
/// text base feature per item (or none). The music's mask is the video's (a track has one music row per video
/// segment) unless <see cref="MusicPadding"/> is given (a clip: three video segments, one music segment).</summary>
public sealed record Batch(Tensor Video, Tensor Music, Tensor? Padding, Tensor? Text) : IDisposable
{
    public Tensor? MusicPadding { get; init; } = Padding;
    public long Size => Video.shape[0];

    public void Dispose()
    {
        Video.Dispose(); Music.Dispose(); Padding?.Dispose(); Text?.Dispose();
        if (!ReferenceEquals(MusicPadding, Padding)) MusicPadding?.Dispose();
    }
}

/// <summary>
/// ViML and its baselines (Sec. 3.2, Fig. 3), one class picked by <see cref="ModelConfig.Variant"/>:
/// <code>
///   y^v = f^v(x^v),  y^t = f^t(x^t),  y^m = f^m(x^m)
///   ViML   query y^vt = f^vt(y^v, y^t)
///   MVPt+  query y^v
///   MT     query y^t
///   L = InfoNCE(query -> y^m) + InfoNCE(y^m -> query),  cosine similarity, tau
/// </code>
/// with text dropout on x^t while training ViML.
/// </summary>
public sealed class VimlModel : Module<Batch, Tensor>
{
    public ModelConfig Config { get; }
    readonly ModalityEncoder? video;
    readonly ModalityEncoder? text;
    readonly ModalityEncoder music;
    readonly FusionModule? fusion;
    readonly TextDropout text_dropout;

    public VimlModel(ModelConfig config) : base("viml")
    {
        Config = config.Validate();
        if (config.UsesVideo) video = new ModalityEncoder("video", config.VideoDimension, config);
        if (config.UsesText) text = new ModalityEncoder("text", config.TextDimension, config);
        music = new ModalityEncoder("music", config.MusicDimension, config);
        if (config.Variant == Variant.Viml) fusion = new FusionModule("fusion", config);
        text_dropout = new TextDropout("text_dropout", config);
        RegisterComponents();
    }

    public TextDropout TextDropoutModule => text_dropout;

    /// <summary>The query embedding [B, d] (not normalised). <paramref name="textBase"/> null = x^null for every item.</summary>
    public Tensor EmbedQuery(Tensor? videoBase, Tensor? padding, Tensor? textBase)
    {
        long b = videoBase?.shape[0] ?? textBase!.shape[0];
        Tensor Text() => text!.forward((textBase ?? text_dropout.Null.expand(b, -1)).unsqueeze(1), null);
        return Config.Variant switch
        {
            Variant.Viml => fusion!.forward(video!.forward(videoBase!, padding), Text()),
            Variant.MvptPlus => video!.forward(videoBase!, padding),
            _ => Text(),
        };
    }

    /// <summary>The music embedding y^m [B, d] (not normalised).</summary>
    public Tensor EmbedMusic(Tensor musicBase, Tensor? padding) => music.forward(musicBase, padding);

    /// <summary>The training loss of a batch (text dropout applies in training mode).</summary>
    public override Tensor forward(Batch batch)
    {
        // Text dropout regularises the video-text fusion; MT's query is the text alone, so it keeps it.
        var textBase = batch.Text is null || Config.Variant != Variant.Viml ? batch.Text : text_dropout.forward(batch.Text);
        var query = EmbedQuery(batch.Video, batch.Padding, textBase);
        var key = EmbedMusic(batch.Music, batch.MusicPadding);
        return Losses.SymmetricInfoNce(query, key, Config.Temperature);
    }
}
