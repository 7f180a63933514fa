using TorchSharp;
using Viml.Torch;
using static TorchSharp.torch;

namespace Viml.Model;

/// <summary>
/// A trained checkpoint ready to embed queries and music on the CPU. Embeddings are L2-normalised,
/// so a dot product is the cosine similarity the model was trained with. Thread-safe.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    readonly VimlModel model;
    readonly object gate = new();

    public ModelConfig Config => model.Config;
    /// <summary>d, the joint embedding size.</summary>
    public int Dimension => Config.Dimension;
    /// <summary>Base feature sizes the checkpoint expects.</summary>
    public int VideoDimension => Config.VideoDimension;
    public int MusicDimension => Config.MusicDimension;
    public int TextDimension => Config.TextDimension;
    /// <summary>True for an MT checkpoint: <see cref="EmbedTextOnly"/> answers.</summary>
    public bool HasTextOnly => Config.Variant == Variant.Mt;

    TrainedModel(VimlModel model) { this.model = model; }

    internal VimlModel Module => model;

    /// <summary>Loads <c>config.json</c> + <c>model.safetensors</c> from <paramref name="checkpointDir"/>.</summary>
    public static TrainedModel Load(string checkpointDir)
    {
        TorchRuntime.Initialise();
        return new TrainedModel(Checkpoint.Load(checkpointDir));
    }

    /// <summary>Wraps an in-memory model (put in eval mode).</summary>
    public static TrainedModel From(VimlModel model) { model.eval(); return new TrainedModel(model); }

    /// <summary>
    /// The query embedding of a video (its segment features) steered by a text (its base feature);
    /// <paramref name="textBase"/> null = no text (the empty-string / zero vector the model was trained
    /// with). An MVPt+ checkpoint ignores the text; an MT checkpoint ignores the video.
    /// </summary>
    public float[] EmbedQuery(float[][] videoSegments, float[]? textBase) =>
        EmbedQueries(new[] { videoSegments }, new[] { textBase })[0];

    /// <summary>The music embedding of a track or clip (its segment features).</summary>
    public float[] EmbedMusic(float[][] musicSegments) => EmbedMusicBatch(new[] { musicSegments })[0];

    /// <summary>The text-only query embedding (MT checkpoints); null when this checkpoint has no such branch.</summary>
    public float[]? EmbedTextOnly(float[] textBase) =>
        HasTextOnly ? EmbedQueries(new float[][][] { Array.Empty<float[]>() }, new[] { textBase })[0] : null;

    /// <summary>Batched <see cref="EmbedQuery"/>: one row per query.</summary>
    public float[][] EmbedQueries(IReadOnlyList<float[][]> videos, IReadOnlyList<float[]?> texts, int batchSize = 256)
    {
        if (videos.Count != texts.Count) throw new ArgumentException("one text (or null) per video");
        return Batched(videos.Count, batchSize, (start, n) =>
        {
            Tensor? video = null, padding = null;
            if (Config.UsesVideo)
                (video, padding) = Batching.Pad(Slice(videos, start, n), VideoDimension, "video");
            Tensor? text = null;
            if (Config.UsesText && Enumerable.Range(start, n).Any(i => texts[i] != null))
                text = Batching.Texts(Enumerable.Range(start, n).Select(i => texts[i]).ToList(), model.TextDropoutModule.Null, TextDimension);
            return model.EmbedQuery(video, padding, text);
        });
    }

    /// <summary>Batched <see cref="EmbedMusic"/>.</summary>
    public float[][] EmbedMusicBatch(IReadOnlyList<float[][]> music, int batchSize = 256) =>
        Batched(music.Count, batchSize, (start, n) =>
        {
            var (x, padding) = Batching.Pad(Slice(music, start, n), MusicDimension, "music");
            return model.EmbedMusic(x, padding);
        });

    static IReadOnlyList<float[][]> Slice(IReadOnlyList<float[][]> a, int start, int n) =>
        Enumerable.Range(start, n).Select(i => a[i]).ToList();

    float[][] Batched(int count, int batchSize, Func<int, int, Tensor> embed)
    {
        var result = new float[count][];
        lock (gate)
        {
            using var _ = no_grad();
            for (int start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, count - start);
                var y = nn.functional.normalize(embed(start, n), p: 2, dim: -1).contiguous();
                var flat = y.data<float>().ToArray();
                for (int i = 0; i < n; i++) result[start + i] = flat.AsSpan(i * Dimension, Dimension).ToArray();
            }
        }
        return result;
    }

    public void Dispose() => model.Dispose();
}
