using Viml.IO;

namespace Viml.Features;

/// <summary>
/// What feature extraction checks before it loads the encoders, so that a wrong path is reported at once: the
/// store folder (a store made at another frame rate is refused; a new one must be creatable) and that at least
/// one manifest item's media exists. Items whose files are missing while others are there stay per-item
/// failures of the run, listed at its end.
/// </summary>
public static class ExtractionInputs
{
    public static void Check(string manifest, IReadOnlyList<ManifestItem> items, string storeRoot, double fps)
    {
        if (File.Exists(Path.Combine(storeRoot, "store.json")))
        {
            var a = FeatureStore.Open(storeRoot).Info;
            if (a.Fps != fps)
                throw new InvalidInputException($"{storeRoot}: this feature store was made with other settings ({a.VideoEncoder}, "
                    + $"{a.MusicEncoder}, {a.Fps} fps, {a.SegmentSeconds} s segments); use a new folder");
        }
        else OutputFolder.CheckCreatable(storeRoot, "output folder");

        static bool Missing(string p) => !File.Exists(p) && !Directory.Exists(p);
        var missing = items.Select(i => Missing(i.Video) ? i.Video : Missing(i.AudioPath) ? i.AudioPath : null).ToList();
        if (missing.All(p => p is not null))
            throw new InvalidInputException($"{manifest}: no item's media exists ({missing[0]}: does not exist"
                + (items.Count > 1 ? $", and {items.Count - 1} more" : "") + ")");
    }
}
