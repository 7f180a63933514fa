using System.Diagnostics;
using System.Runtime.InteropServices;
using Viml.Synthetic;

namespace Viml.Tests.Encoders.Musicnn;

/// <summary>A General MIDI piece: notes, programs per channel (channel 9 is drums) and tempo.</summary>
sealed record MidiPiece(List<Note> Notes, Dictionary<int, int> Programs, double Bpm)
{
    public byte[] ToMidi() => MidiFile.Write(Notes, Programs, Bpm);

    /// <summary>Renders with fluidsynth (<see cref="Renderer"/>) and decodes to mono float PCM with ffmpeg.</summary>
    public float[] Render(string workDir, string name) => RenderMidi(ToMidi(), workDir, name);

    public static float[] RenderMidi(byte[] midi, string workDir, string name, int sampleRate = 16000)
    {
        string wav = Path.Combine(workDir, name + ".wav");
        Renderer.RenderMidi(midi, wav);
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-i", wav, "-ac", "1", "-ar", $"{sampleRate}", "-f", "f32le", "-" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg failed: {err.Result}");
        return MemoryMarshal.Cast<byte, float>(ms.ToArray()).ToArray();
    }
}

/// <summary>Four short General MIDI pieces of distinct character (~20-25 s each).</summary>
static class TestPieces
{
    static void Chord(List<Note> notes, int ch, double beat, double beats, int velocity, params int[] pitches)
    {
        foreach (var p in pitches) notes.Add(new Note(ch, p, velocity, beat, beats));
    }

    public static MidiPiece Piano()
    {
        var n = new List<Note>();
        int[][] chords = [[48, 55, 64], [43, 55, 62], [45, 57, 64], [41, 57, 65]]; // C G Am F
        int[] melody = [72, 74, 76, 79, 77, 76, 74, 72, 71, 72, 74, 76, 72, 69, 71, 72];
        for (int bar = 0; bar < 8; bar++)
        {
            var c = chords[bar % 4];
            for (int i = 0; i < 8; i++) n.Add(new Note(0, c[new[] { 0, 2, 1, 2 }[i % 4]], 60, bar * 4 + i * 0.5, 0.5)); // Alberti bass
            for (int q = 0; q < 4; q++) n.Add(new Note(0, melody[(bar * 4 + q) % melody.Length], 85, bar * 4 + q, 1));
        }
        return new MidiPiece(n, new() { [0] = 0 }, 96);
    }

    public static MidiPiece Rock()
    {
        var n = new List<Note>();
        int[] roots = [40, 40, 43, 45, 40, 40, 47, 45];   // E E G A E E B A
        for (int bar = 0; bar < 10; bar++)
        {
            int root = roots[bar % roots.Length];
            double t0 = bar * 4;
            for (int e = 0; e < 8; e++)
            {
                double t = t0 + e * 0.5;
                Chord(n, 0, t, 0.45, 100, root, root + 7, root + 12);  // distorted power chords
                n.Add(new Note(1, root - 12, 95, t, 0.45));            // bass
                n.Add(new Note(9, 42, 70, t, 0.25));                   // closed hi-hat
            }
            foreach (var k in new[] { 0, 2, 2.5 }) n.Add(new Note(9, 36, 110, t0 + k, 0.5));
            foreach (var s in new[] { 1, 3 }) n.Add(new Note(9, 38, 110, t0 + s, 0.5));
            if (bar % 4 == 0) n.Add(new Note(9, 49, 100, t0, 1));      // crash
        }
        return new MidiPiece(n, new() { [0] = 30, [1] = 33 }, 124);
    }

    public static MidiPiece Strings()
    {
        var n = new List<Note>();
        int[][] chords = [[55, 59, 62], [52, 55, 60], [57, 60, 64], [50, 54, 57], [55, 59, 62], [48, 52, 55]];
        int[] tune = [74, 76, 79, 78, 76, 74, 72, 71, 69, 71, 72, 74];
        for (int bar = 0; bar < 6; bar++)
        {
            var c = chords[bar];
            Chord(n, 0, bar * 4, 4, 70, c);                            // string ensemble
            n.Add(new Note(2, c[0] - 12, 75, bar * 4, 4));            // cello
            n.Add(new Note(1, tune[(2 * bar) % tune.Length], 85, bar * 4, 2));      // violin
            n.Add(new Note(1, tune[(2 * bar + 1) % tune.Length], 85, bar * 4 + 2, 2));
        }
        return new MidiPiece(n, new() { [0] = 48, [1] = 40, [2] = 42 }, 66);
    }

    public static MidiPiece Techno()
    {
        var n = new List<Note>();
        int[] bassLine = [36, 36, 48, 36, 39, 36, 46, 36];
        for (int bar = 0; bar < 11; bar++)
        {
            for (int b = 0; b < 4; b++)
            {
                double t = bar * 4 + b;
                n.Add(new Note(9, 36, 120, t, 0.5));                   // four-on-the-floor kick
                n.Add(new Note(9, 46, 80, t + 0.5, 0.25));             // open hi-hat offbeat
                n.Add(new Note(9, 42, 50, t + 0.25, 0.1));
                n.Add(new Note(9, 42, 50, t + 0.75, 0.1));
                if (b % 2 == 1) n.Add(new Note(9, 39, 100, t, 0.5));   // clap
            }
            for (int s = 0; s < 16; s++) n.Add(new Note(0, bassLine[s % 8], 100, bar * 4 + s * 0.25, 0.2)); // synth bass
            if (bar % 2 == 1)
            {
                Chord(n, 1, bar * 4 + 0.5, 0.4, 80, 60, 63, 67);       // saw lead stabs
                Chord(n, 1, bar * 4 + 1.5, 0.4, 80, 60, 63, 67);
                Chord(n, 1, bar * 4 + 3, 0.4, 80, 58, 63, 65);
            }
        }
        return new MidiPiece(n, new() { [0] = 38, [1] = 81 }, 132);
    }
}
