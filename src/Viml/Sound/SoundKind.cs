namespace Viml.Sound;

/// <summary>What a stretch of audio is: music, speech, or other sound (silence, ambience, effects).</summary>
public enum SoundKind { Music, Speech, Other }
