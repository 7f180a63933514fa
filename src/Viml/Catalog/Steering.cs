namespace Viml.Catalog;

/// <summary>
/// How words, the model and "more like this" share a query.
/// <para><see cref="TextWeight"/> w: 0 = the model's video-only score, 0.5 = the model's video + text score,
/// 1 = the words-alone score (<see cref="WordSearch"/>); between, the two neighbours are mixed linearly after each
/// is standardised over the catalog's segments. Without a model only words count; without a video the model's
/// text-only (MT) branch stands in for video + text when the checkpoint has one.</para>
/// <para><see cref="LikeTrack"/> or <see cref="LikeFeatures"/>: also rank by music similarity to a catalog track
/// or to an audio file's base features (<see cref="LikeSearch"/>); with words or a video, the two standardised
/// scores are averaged. <see cref="IncludeNonMusic"/>: keep tracks whose sound was judged speech or other sound.</para>
/// </summary>
public sealed record Steering(double? TextWeight = null, long? LikeTrack = null, float[]? LikeFeatures = null, bool IncludeNonMusic = false)
{
    /// <summary>The text weight when none is given: the best of 0, 0.125, ..., 1 by MRR on validation videos with
    /// sentences (bench <c>knob</c>; docs/words.md).</summary>
    public const double DefaultTextWeight = 0.625;

    public static Steering Default { get; } = new();

    public double Weight => TextWeight ?? DefaultTextWeight;

    public bool Likes => LikeTrack is not null || LikeFeatures is not null;

    public void Validate()
    {
        if (TextWeight is { } w && !(w >= 0 && w <= 1)) throw new InvalidInputException($"--text-weight {w}: must be between 0 (video only) and 1 (words only)");
        if (LikeTrack is not null && LikeFeatures is not null) throw new InvalidInputException("--like: give one track id or one audio file");
    }
}
