namespace Viml.Training;

/// <summary>What one retrieval item is (Sec. 4.1): a whole track, or a clip.</summary>
public enum Level
{
    /// <summary>A whole music track with its whole video (the paper's track level, pools of 2000).</summary>
    Track,
    /// <summary>A 10-s music clip with the 30-s video around it (the paper's clip level, pools of 500).</summary>
    Clip,
}
