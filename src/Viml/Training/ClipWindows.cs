using System.Security.Cryptography;
using System.Text;

namespace Viml.Training;

/// <summary>
/// Clips drawn from an item's segments, as the paper's clip level: one 10-s music segment s with the
/// 30-s video around it, the video segments s - 1, s, s + 1. At an item's first or last segment the
/// video window shifts to stay inside the item (segments 0-2 for s = 0), so every clip of an item with
/// three or more segments sees 30 s of video; a shorter item's clip sees all of its video.
/// Texts stay the item's (tags aggregated over the track).
/// </summary>
public static class ClipWindows
{
    /// <summary>Video segments in a clip's window (30 s of 10-s segments).</summary>
    public const int VideoSegments = 3;

    /// <summary>The clip of <paramref name="item"/> whose music is segment <paramref name="segment"/>.</summary>
    public static TrainingItem Clip(TrainingItem item, int segment)
    {
        if (segment < 0 || segment >= item.Music.Length)
            throw new ArgumentOutOfRangeException(nameof(segment), $"{item.Id}: segment {segment} of {item.Music.Length}");
        var music = new[] { item.Music[segment] };
        if (!item.HasVideo || item.Video.Length == 0) return item with { Music = music };
        int width = Math.Min(VideoSegments, item.Video.Length);
        int start = Math.Clamp(segment - VideoSegments / 2, 0, item.Video.Length - width);
        return item with { Video = item.Video[start..(start + width)], Music = music };
    }

    /// <summary>A training clip: a segment drawn uniformly from <paramref name="rng"/>.</summary>
    public static TrainingItem Draw(TrainingItem item, Random rng) => Clip(item, rng.Next(item.Music.Length));

    /// <summary>
    /// The evaluation clip of each item: the segment picked by a hash of its id, so an item's clip is the
    /// same in every run and whatever other items are evaluated with it.
    /// </summary>
    public static IReadOnlyList<TrainingItem> ForEvaluation(IReadOnlyList<TrainingItem> items) =>
        items.Select(i => Clip(i, (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(i.Id)), 0) % (uint)i.Music.Length)))
             .ToList();

    /// <summary>The items as the level asks: themselves (track) or their evaluation clips (clip).</summary>
    public static IReadOnlyList<TrainingItem> AtLevel(IReadOnlyList<TrainingItem> items, Level level) =>
        level == Level.Clip ? ForEvaluation(items) : items;
}
