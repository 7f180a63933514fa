using Viml.Features;

namespace Viml.Catalog;

/// <summary>Who made the catalog's vectors: the base music encoder (fixed for a catalog) and the model (changeable).</summary>
public sealed record CatalogInfo(
    string MusicEncoder, int MusicDimension, IReadOnlyList<string> TagNames, string ModelId, int Dimension)
{
    /// <summary>The feature contract of the model the vectors come from; a catalog made before it was recorded has the
    /// paper's values (its music encoder was always recorded).</summary>
    public FeatureSpec Spec { get; init; } = FeatureSpec.Paper with { MusicEncoder = MusicEncoder };
}
