namespace Viml.Synthetic;

/// <summary>A style of generated music: what it is called in words, and how it is played.</summary>
public sealed record MusicStyle(string Name, string Genre, string Mood, string[] Instruments,
    double MinBpm, double MaxBpm, bool Minor, IReadOnlyDictionary<int, int> Programs);

/// <summary>
/// Composes short pieces in a handful of distinct styles (chords, bass, melody, drums) as MIDI,
/// deterministic for a seed. Rendered to audio with a General MIDI synthesiser (<see cref="Renderer"/>).
/// </summary>
public static class DemoMusic
{
    // General MIDI programs (0-based) and channel 9 for drums.
    public static readonly IReadOnlyList<MusicStyle> Styles = new[]
    {
        new MusicStyle("piano-ballad", "ballad", "sad", new[] { "piano" }, 60, 72, true,
            new Dictionary<int, int> { [0] = 0, [1] = 0 }),
        new MusicStyle("rock", "rock", "energetic", new[] { "electric guitar", "bass", "drums" }, 124, 140, false,
            new Dictionary<int, int> { [0] = 30, [1] = 33, [2] = 29 }),
        new MusicStyle("techno", "electronic", "energetic", new[] { "synthesizer", "drums" }, 126, 132, true,
            new Dictionary<int, int> { [0] = 81, [1] = 38, [2] = 89 }),
        new MusicStyle("strings", "classical", "calm", new[] { "strings", "cello" }, 64, 80, false,
            new Dictionary<int, int> { [0] = 48, [1] = 42, [2] = 40 }),
        new MusicStyle("folk", "folk", "happy", new[] { "acoustic guitar", "flute" }, 92, 108, false,
            new Dictionary<int, int> { [0] = 25, [1] = 32, [2] = 73 }),
        new MusicStyle("jazz", "jazz", "relaxed", new[] { "piano", "double bass", "drums" }, 110, 140, false,
            new Dictionary<int, int> { [0] = 0, [1] = 32, [2] = 65 }),
    };

    public static MusicStyle Style(string name) =>
        Styles.FirstOrDefault(s => s.Name == name) ?? throw new InvalidInputException($"unknown music style '{name}' (known: {string.Join(", ", Styles.Select(s => s.Name))})");

    /// <summary>A piece of about <paramref name="seconds"/> in the style, as a MIDI file.</summary>
    public static byte[] Compose(MusicStyle style, int seed, double seconds)
    {
        var rng = new Random(seed);
        double bpm = style.MinBpm + rng.NextDouble() * (style.MaxBpm - style.MinBpm);
        int beats = (int)Math.Ceiling(seconds * bpm / 60 / 4) * 4;
        int root = 48 + rng.Next(0, 7); // C3..F#3
        int[] scale = style.Minor ? new[] { 0, 2, 3, 5, 7, 8, 10 } : new[] { 0, 2, 4, 5, 7, 9, 11 };
        int[][] progressions = style.Minor
            ? new[] { new[] { 0, 5, 2, 6 }, new[] { 0, 3, 4, 0 }, new[] { 0, 6, 5, 4 } }
            : new[] { new[] { 0, 4, 5, 3 }, new[] { 0, 3, 4, 4 }, new[] { 0, 5, 3, 4 } };
        int[] prog = progressions[rng.Next(progressions.Length)];
        var notes = new List<Note>();

        int Degree(int d, int octave = 0) => root + 12 * (octave + Math.DivRem(d, 7, out int r) + (r < 0 ? -1 : 0)) + scale[((d % 7) + 7) % 7];
        int[] Triad(int d, bool seventh = false) => seventh ? new[] { Degree(d), Degree(d + 2), Degree(d + 4), Degree(d + 6) } : new[] { Degree(d), Degree(d + 2), Degree(d + 4) };

        for (int bar = 0; bar * 4 < beats; bar++)
        {
            int chordDeg = prog[bar % prog.Length];
            double t = bar * 4;
            int v = 70 + rng.Next(-8, 9);
            switch (style.Name)
            {
                case "piano-ballad":
                    var arp = Triad(chordDeg);
                    for (int i = 0; i < 8; i++) notes.Add(new Note(0, arp[i % 3] + (i >= 3 ? 12 : 0), v - 10, t + i * 0.5, 0.9));
                    notes.Add(new Note(0, Degree(chordDeg, -1), v, t, 4));
                    for (int i = 0; i < 2; i++) notes.Add(new Note(1, Degree(chordDeg + rng.Next(0, 5), 2), v + 5, t + i * 2, 1.8));
                    break;
                case "rock":
                    foreach (int i in Enumerable.Range(0, 8))
                    {
                        notes.Add(new Note(0, Degree(chordDeg), v + 20, t + i * 0.5, 0.45));
                        notes.Add(new Note(0, Degree(chordDeg) + 7, v + 20, t + i * 0.5, 0.45));
                        notes.Add(new Note(1, Degree(chordDeg, -1), v + 15, t + i * 0.5, 0.45));
                    }
                    Drums(notes, t, rng, kickEvery: 2, hat: 42, v: 100);
                    if (bar % 2 == 1) for (int i = 0; i < 4; i++) notes.Add(new Note(2, Degree(chordDeg + rng.Next(0, 7), 2), v + 25, t + i, 0.9));
                    break;
                case "techno":
                    foreach (int i in Enumerable.Range(0, 16))
                        notes.Add(new Note(1, Degree(chordDeg, -1) + (i % 4 == 2 ? 12 : 0), v + 20, t + i * 0.25, 0.2));
                    foreach (int i in Enumerable.Range(0, 4))
                    {
                        notes.Add(new Note(9, 36, 120, t + i, 0.25));
                        notes.Add(new Note(9, 42, 80, t + i + 0.5, 0.25));
                    }
                    if (bar % 2 == 0) notes.Add(new Note(9, 39, 90, t + 1, 0.25));
                    foreach (int i in Enumerable.Range(0, 8)) notes.Add(new Note(0, Triad(chordDeg)[rng.Next(3)] + 24, v, t + i * 0.5, 0.3));
                    notes.Add(new Note(2, Degree(chordDeg, 1), v - 10, t, 4));
                    break;
                case "strings":
                    foreach (int n in Triad(chordDeg)) notes.Add(new Note(0, n + 12, v - 5, t, 4));
                    notes.Add(new Note(1, Degree(chordDeg, -1), v, t, 4));
                    for (int i = 0; i < 2; i++) notes.Add(new Note(2, Degree(chordDeg + rng.Next(0, 5), 2), v + 5, t + i * 2, 2));
                    break;
                case "folk":
                    var ch = Triad(chordDeg);
                    foreach (int i in Enumerable.Range(0, 8))
                        foreach (int n in ch) notes.Add(new Note(0, n + 12, i % 2 == 0 ? v + 10 : v - 10, t + i * 0.5 + 0.01 * Array.IndexOf(ch, n), 0.45));
                    notes.Add(new Note(1, Degree(chordDeg, -1), v, t, 1.9));
                    notes.Add(new Note(1, Degree(chordDeg + 4, -1), v, t + 2, 1.9));
                    foreach (int i in Enumerable.Range(0, 4)) notes.Add(new Note(2, Degree(chordDeg + rng.Next(0, 5), 2), v + 10, t + i, 0.9));
                    break;
                case "jazz":
                    foreach (int n in Triad(chordDeg, seventh: true)) notes.Add(new Note(0, n + 12, v - 5, t + 1.5 + rng.Next(0, 2), 1.2));
                    foreach (int i in Enumerable.Range(0, 4)) notes.Add(new Note(1, Degree(chordDeg + i, -1), v + 10, t + i, 0.95));
                    foreach (int i in Enumerable.Range(0, 4))
                    {
                        notes.Add(new Note(9, 51, 70, t + i, 0.5));
                        notes.Add(new Note(9, 51, 55, t + i + 0.66, 0.3));
                    }
                    notes.Add(new Note(9, 44, 60, t + 1, 0.2));
                    notes.Add(new Note(9, 44, 60, t + 3, 0.2));
                    if (bar % 2 == 1) for (int i = 0; i < 3; i++) notes.Add(new Note(2, Degree(chordDeg + rng.Next(0, 7), 1), v, t + i * 1.33, 1.2));
                    break;
            }
        }
        return MidiFile.Write(notes, style.Programs, bpm);
    }

    static void Drums(List<Note> notes, double t, Random rng, int kickEvery, int hat, int v)
    {
        for (int i = 0; i < 4; i += kickEvery) notes.Add(new Note(9, 36, v, t + i, 0.25));
        notes.Add(new Note(9, 38, v, t + 1, 0.25));
        notes.Add(new Note(9, 38, v, t + 3, 0.25));
        for (int i = 0; i < 8; i++) notes.Add(new Note(9, hat, v - 30 + rng.Next(0, 10), t + i * 0.5, 0.2));
    }
}
