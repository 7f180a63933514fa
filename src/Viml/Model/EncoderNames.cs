namespace Viml.Model;

/// <summary>
/// Checkpoint metadata keys naming the frozen base encoders whose features a model was trained on.
/// Features of another encoder (even one of the same size) mean nothing to the model, so whoever feeds it
/// checks these names; checkpoints made before they were recorded have none and are not checked.
/// </summary>
public static class EncoderNames
{
    public const string Video = "video_encoder", Music = "music_encoder", Text = "text_encoder";

    /// <summary>Throws when the checkpoint recorded an encoder for <paramref name="key"/> and it is not <paramref name="given"/>.</summary>
    public static void Check(IReadOnlyDictionary<string, string> recorded, string key, string given, string checkpoint, string option)
    {
        if (recorded.TryGetValue(key, out var want) && want.Length > 0 && want != given)
            throw new InvalidInputException($"{checkpoint}: the model was trained on {key.Replace('_', ' ')} features of '{want}', not '{given}'; {option}");
    }
}
