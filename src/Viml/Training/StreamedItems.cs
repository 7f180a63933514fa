using System.Collections;
using Viml.Features;

namespace Viml.Training;

/// <summary>
/// Items of a <see cref="PackedFeatures"/> read on access: indexing an item reads its segment rows from the memory
/// map, so a training split of any size holds only item numbers and text features in memory.
/// </summary>
public sealed class StreamedItems : IReadOnlyList<TrainingItem>
{
    readonly PackedFeatures packed;
    readonly int[] items;
    readonly IReadOnlyDictionary<string, float[][]> texts;

    public StreamedItems(PackedFeatures packed, IReadOnlyList<int> items, IReadOnlyDictionary<string, float[][]> texts)
    {
        this.packed = packed;
        this.items = items.ToArray();
        this.texts = texts;
    }

    public int Count => items.Length;

    public TrainingItem this[int index]
    {
        get
        {
            int i = items[index];
            string id = packed.Ids[i];
            return new TrainingItem(id, packed.Video(i), packed.Music(i), texts.TryGetValue(id, out var t) ? t : Array.Empty<float[]>(),
                packed.HasVideo(i));
        }
    }

    /// <summary>Audio-only items, counted from the pack's index without reading features.</summary>
    public int AudioOnly => items.Count(i => !packed.HasVideo(i));

    /// <summary>The items that have a video, without reading features.</summary>
    public StreamedItems WithVideo() => new(packed, items.Where(packed.HasVideo).ToArray(), texts);

    public IEnumerator<TrainingItem> GetEnumerator()
    {
        for (int k = 0; k < items.Length; k++) yield return this[k];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
