using System.Numerics.Tensors;

namespace Viml.Catalog;

/// <summary>
/// The catalog's vectors when no model is trained: the base music features themselves (musicnn), a track being the
/// L2-normalised mean of its segments. It has no query side: a catalog made with it answers words
/// (<see cref="WordSearch"/>) and "more like this" (<see cref="LikeSearch"/>), and a trained model replaces it
/// with <c>viml catalog reembed --model</c> once there is one.
/// </summary>
public sealed class BaseMusicModel(string musicEncoder, int musicDimension) : ICatalogModel
{
    /// <summary>Model ids of catalogs made without a model start with this.</summary>
    public const string IdPrefix = "none:";

    public string Id => IdPrefix + musicEncoder;
    public int Dimension => musicDimension;
    public int MusicDimension => musicDimension;
    public int VideoDimension => 0;
    public int TextDimension => 0;

    public static bool IsBase(string modelId) => modelId.StartsWith(IdPrefix, StringComparison.Ordinal);

    public float[] EmbedMusic(float[][] musicSegments)
    {
        var mean = new float[musicDimension];
        foreach (var s in musicSegments) TensorPrimitives.Add(mean, s, mean);
        float norm = TensorPrimitives.Norm(mean);
        if (norm > 0 && float.IsFinite(norm)) TensorPrimitives.Divide(mean, norm, mean);
        return mean;
    }

    public float[] EmbedQuery(float[][] videoSegments, float[]? textBase) =>
        throw new InvalidInputException("this catalog has no trained model: video queries need --model <checkpoint>; words (--text) and --like work without one");

    public float[]? EmbedTextOnly(float[] textBase) => null;
}
