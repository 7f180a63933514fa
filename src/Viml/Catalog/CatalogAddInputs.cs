using Viml.IO;

namespace Viml.Catalog;

/// <summary>
/// What adding to a catalog checks before it loads any model, so that a wrong path is reported at once: the
/// paths hold audio files, and the catalog folder is a catalog that opens, or a folder that can be made.
/// </summary>
public static class CatalogAddInputs
{
    /// <summary>The audio files under <paramref name="paths"/>; throws naming the input and the problem.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<string> paths, string catalogRoot)
    {
        var files = CatalogIngest.FindAudio(paths);
        if (files.Count == 0)
            throw new InvalidInputException($"{string.Join(", ", paths)}: no audio files there (looked for "
                + $"{string.Join(" ", CatalogIngest.AudioExtensions.Order(StringComparer.Ordinal))})");
        if (MusicCatalog.Exists(catalogRoot) && !MusicCatalog.IsBlank(catalogRoot)) MusicCatalog.Open(catalogRoot);
        else OutputFolder.CheckCreatable(catalogRoot, "catalog folder");
        return files;
    }
}
