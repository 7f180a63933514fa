namespace Viml.Synthetic;

/// <summary>A generated piece whose beats are known: the MIDI to render and the true beat and bar-start times.</summary>
public sealed record BeatPiece(string Name, string Style, double StartBpm, double EndBpm, bool Swing, byte[] Midi,
    double[] Beats, double[] Downbeats, double Seconds)
{
    /// <summary>The tempo a listener would tap: from the median interval between true beats.</summary>
    public double Bpm
    {
        get
        {
            var gaps = Beats.Zip(Beats.Skip(1), (a, b) => b - a).Order().ToArray();
            return 60 / gaps[gaps.Length / 2];
        }
    }

    public bool SteadyTempo => Math.Abs(StartBpm - EndBpm) < 1e-9;
}

/// <summary>
/// Music with a known pulse for measuring tempo and beat tracking: pieces in several styles (drums or none,
/// straight or swung eighths), at a steady tempo or one that ramps or jumps, written as MIDI whose times are
/// absolute (the file's tempo is fixed at 120 BPM and every note is placed at its time in seconds), so any tempo
/// curve can be played and the beat times are exact.
/// </summary>
public static class BeatMusic
{
    public static readonly IReadOnlyList<string> Styles = ["rock", "techno", "folk", "jazz-swing", "piano-ballad", "strings"];

    static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<int, int>> Programs = new Dictionary<string, IReadOnlyDictionary<int, int>>
    {
        ["rock"] = new Dictionary<int, int> { [0] = 30, [1] = 33 },
        ["techno"] = new Dictionary<int, int> { [0] = 81, [1] = 38 },
        ["folk"] = new Dictionary<int, int> { [0] = 25, [1] = 32, [2] = 73 },
        ["jazz-swing"] = new Dictionary<int, int> { [0] = 0, [1] = 32 },
        ["piano-ballad"] = new Dictionary<int, int> { [0] = 0, [1] = 0 },
        ["strings"] = new Dictionary<int, int> { [0] = 48, [1] = 45, [2] = 40 },
    };

    /// <summary>A piece of <paramref name="seconds"/> whose tempo goes from <paramref name="startBpm"/> to
    /// <paramref name="endBpm"/> (linearly over the first half, when they differ and not <paramref name="jump"/>;
    /// at the middle, when <paramref name="jump"/>).</summary>
    public static BeatPiece Compose(string style, double startBpm, double endBpm, double seconds, int seed, bool jump = false)
    {
        if (!Programs.ContainsKey(style)) throw new InvalidInputException($"unknown style '{style}' (known: {string.Join(", ", Styles)})");
        var rng = new Random(seed);
        const double lead = 0.5;
        var beats = new List<double>();
        double t = lead;
        while (t < seconds - 0.3)
        {
            beats.Add(t);
            double progress = t / seconds;
            double bpm = startBpm == endBpm ? startBpm
                : jump ? (progress < 0.5 ? startBpm : endBpm)
                : startBpm + (endBpm - startBpm) * Math.Min(1, progress / 0.5);
            t += 60 / bpm;
        }
        bool swing = style == "jazz-swing";
        int root = 48 + rng.Next(0, 7);
        int[] scale = [0, 2, 4, 5, 7, 9, 11];
        int[] progression = [0, 4, 5, 3];
        int Degree(int d, int octave = 0) => root + 12 * (octave + d / 7) + scale[d % 7];
        var notes = new List<Note>();
        void Add(int channel, int pitch, int velocity, double at, double length) =>
            notes.Add(new Note(channel, pitch, Math.Clamp(velocity + rng.Next(-6, 7), 1, 127), at * 2, Math.Max(0.05, length * 2)));

        for (int i = 0; i < beats.Count; i++)
        {
            double b = beats[i], len = i + 1 < beats.Count ? beats[i + 1] - b : beats[i] - beats[Math.Max(0, i - 1)];
            double off = b + (swing ? 2.0 / 3 : 0.5) * len;
            int bar = i / 4, beat = i % 4;
            int chord = progression[bar % progression.Length];
            int[] triad = [Degree(chord), Degree(chord + 2), Degree(chord + 4)];
            switch (style)
            {
                case "rock":
                    foreach (int p in triad) { Add(0, p + 12, 90, b, 0.45 * len); Add(0, p + 12, 80, off, 0.45 * len); }
                    Add(1, Degree(chord, -1), 95, b, 0.9 * len);
                    if (beat is 0 or 2) Add(9, 36, 110, b, 0.1);
                    if (beat is 1 or 3) Add(9, 38, 105, b, 0.1);
                    Add(9, 42, 70, b, 0.05); Add(9, 42, 55, off, 0.05);
                    break;
                case "techno":
                    Add(9, 36, 120, b, 0.1);
                    Add(9, 42, 75, off, 0.05);
                    if (beat is 1 or 3) Add(9, 39, 85, b, 0.1);
                    Add(1, Degree(chord, -1), 95, off, 0.4 * len);
                    if (beat == 0) foreach (int p in triad) Add(0, p + 24, 70, b, 3.5 * len);
                    break;
                case "folk":
                    foreach (int p in triad) { Add(0, p + 12, beat == 0 ? 95 : 80, b, 0.45 * len); Add(0, p + 12, 60, off, 0.4 * len); }
                    if (beat is 0 or 2) Add(1, Degree(beat == 0 ? chord : chord + 4, -1), 90, b, 1.8 * len);
                    if (rng.NextDouble() < 0.5) Add(2, Degree(chord + rng.Next(0, 5), 2), 85, b, 0.9 * len);
                    break;
                case "jazz-swing":
                    Add(9, 51, 75, b, 0.1);
                    if (beat is 1 or 3) { Add(9, 44, 70, b, 0.05); Add(9, 51, 55, off, 0.05); }
                    Add(1, Degree(chord + beat, -1), 90, b, 0.9 * len);
                    if (beat is 1 or 3 && rng.NextDouble() < 0.7) foreach (int p in triad) Add(0, p + 12, 65, rng.NextDouble() < 0.5 ? b : off, 0.5 * len);
                    break;
                case "piano-ballad":
                    Add(0, triad[beat % 3] + 12, 70, b, 0.9 * len);
                    Add(0, triad[(beat + 1) % 3] + 12, 55, off, 0.45 * len);
                    if (beat == 0) Add(1, Degree(chord, -1), 80, b, 3.8 * len);
                    if (beat == 2) Add(1, Degree(chord + rng.Next(0, 5), 2), 80, b, 1.8 * len);
                    break;
                case "strings":
                    if (beat == 0) foreach (int p in triad) Add(0, p + 12, 70, b, 3.9 * len);
                    Add(1, Degree(chord, -1) + (beat % 2 == 0 ? 0 : 7), 90, b, 0.3 * len);   // pizzicato bass on every beat
                    if (beat is 0 or 2) Add(2, Degree(chord + rng.Next(0, 5), 2), 80, b, 1.9 * len);
                    break;
            }
        }
        var downbeats = beats.Where((_, i) => i % 4 == 0).ToArray();
        string name = $"{style}-{startBpm:0}" + (startBpm == endBpm ? "" : jump ? $"-jump-{endBpm:0}" : $"-ramp-{endBpm:0}");
        return new BeatPiece(name, style, startBpm, endBpm, swing, MidiFile.Write(notes, Programs[style], 120), beats.ToArray(), downbeats, seconds);
    }

    /// <summary>The measured set: every style at steady tempi from 60 to 180 BPM, and pieces that ramp or jump.</summary>
    public static IReadOnlyList<BeatPiece> Set(double seconds = 30)
    {
        var pieces = new List<BeatPiece>();
        double[] tempi = [62, 84, 105, 128, 150, 176];
        for (int s = 0; s < Styles.Count; s++)
            for (int k = 0; k < tempi.Length; k++)
            {
                double bpm = tempi[k] + 3 * ((s + k) % 3);
                pieces.Add(Compose(Styles[s], bpm, bpm, seconds, seed: 100 * s + k));
            }
        pieces.Add(Compose("rock", 96, 124, seconds, seed: 901));
        pieces.Add(Compose("folk", 132, 104, seconds, seed: 902));
        pieces.Add(Compose("techno", 120, 140, seconds, seed: 903, jump: true));
        pieces.Add(Compose("jazz-swing", 110, 90, seconds, seed: 904, jump: true));
        pieces.Add(Compose("piano-ballad", 70, 84, seconds, seed: 905));
        pieces.Add(Compose("strings", 100, 80, seconds, seed: 906, jump: true));
        return pieces;
    }
}
