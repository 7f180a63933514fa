using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Viml.Tests.Music;

/// <summary>A tiny Standard MIDI File (format 1) writer for test pieces, plus rendering through fluidsynth.</summary>
sealed class MidiSketch(double bpm)
{
    public const int Ppq = 480;
    readonly List<List<(long Tick, byte[] Data)>> _tracks = [];

    /// <summary>A track on <paramref name="channel"/> with a General MIDI <paramref name="program"/> (ignored on channel 9, drums).</summary>
    public Track AddTrack(int channel, int program)
    {
        var events = new List<(long, byte[])>();
        _tracks.Add(events);
        if (channel != 9) events.Add((0, [(byte)(0xC0 | channel), (byte)program]));
        return new Track(events, channel);
    }

    public sealed class Track(List<(long Tick, byte[] Data)> events, int channel)
    {
        /// <summary>A note from <paramref name="beat"/> lasting <paramref name="beats"/> (quarter notes).</summary>
        public Track Note(double beat, double beats, int pitch, int velocity = 90)
        {
            long on = (long)Math.Round(beat * Ppq), off = (long)Math.Round((beat + beats) * Ppq) - 1;
            events.Add((on, [(byte)(0x90 | channel), (byte)pitch, (byte)velocity]));
            events.Add((off, [(byte)(0x80 | channel), (byte)pitch, 0]));
            return this;
        }

        public Track Chord(double beat, double beats, int velocity, params int[] pitches)
        {
            foreach (var p in pitches) Note(beat, beats, p, velocity);
            return this;
        }
    }

    public byte[] ToBytes()
    {
        var ms = new MemoryStream();
        void Be(int v, int n) { for (int i = n - 1; i >= 0; i--) ms.WriteByte((byte)(v >> (8 * i))); }
        ms.Write("MThd"u8);
        Be(6, 4); Be(1, 2); Be(_tracks.Count + 1, 2); Be(Ppq, 2);
        int usPerBeat = (int)Math.Round(60_000_000 / bpm);
        WriteTrack(ms, [(0, [0xFF, 0x51, 0x03, (byte)(usPerBeat >> 16), (byte)(usPerBeat >> 8), (byte)usPerBeat])]);
        foreach (var t in _tracks) WriteTrack(ms, t);
        return ms.ToArray();
    }

    static void WriteTrack(MemoryStream ms, List<(long Tick, byte[] Data)> events)
    {
        var body = new MemoryStream();
        long last = 0;
        // Stable order: by tick, note-offs before note-ons at the same tick.
        foreach (var (tick, data) in events.OrderBy(e => e.Tick).ThenBy(e => (e.Data[0] & 0xF0) == 0x90 ? 1 : 0))
        {
            WriteVarLen(body, tick - last);
            body.Write(data);
            last = tick;
        }
        WriteVarLen(body, 0);
        body.Write([0xFF, 0x2F, 0x00]);
        ms.Write("MTrk"u8);
        var len = (int)body.Length;
        ms.Write([(byte)(len >> 24), (byte)(len >> 16), (byte)(len >> 8), (byte)len]);
        body.WriteTo(ms);
    }

    static void WriteVarLen(Stream s, long v)
    {
        var bytes = new Stack<byte>();
        bytes.Push((byte)(v & 0x7F));
        while ((v >>= 7) > 0) bytes.Push((byte)(0x80 | (v & 0x7F)));
        foreach (var b in bytes) s.WriteByte(b);
    }

    /// <summary>Renders with fluidsynth and the Debian General MIDI soundfont, then ffmpeg to mono float PCM.</summary>
    public float[] Render(string workDir, string name, int sampleRate = 16000)
    {
        string mid = Path.Combine(workDir, name + ".mid"), wav = Path.Combine(workDir, name + ".wav");
        File.WriteAllBytes(mid, ToBytes());
        Run("fluidsynth", ["-ni", "-g", "0.7", "-r", "44100", "-F", wav, "/usr/share/sounds/sf2/FluidR3_GM.sf2", mid]);
        var raw = Run("ffmpeg", ["-v", "error", "-i", wav, "-ac", "1", "-ar", sampleRate.ToString(), "-f", "f32le", "-"]);
        return MemoryMarshal.Cast<byte, float>(raw).ToArray();
    }

    static byte[] Run(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        if (!p.WaitForExit(120_000)) { p.Kill(); throw new TimeoutException($"{exe} took over 2 minutes"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed ({p.ExitCode}): {err.Result}");
        return ms.ToArray();
    }
}

/// <summary>Four short General MIDI pieces of distinct character (~20 s each).</summary>
static class TestPieces
{
    public static MidiSketch Piano()
    {
        var m = new MidiSketch(96);
        var piano = m.AddTrack(0, 0);
        int[][] chords = [[48, 55, 64], [43, 55, 62], [45, 57, 64], [41, 57, 65]]; // C G Am F
        int[] melody = [72, 74, 76, 79, 77, 76, 74, 72, 71, 72, 74, 76, 72, 69, 71, 72];
        for (int bar = 0; bar < 8; bar++)
        {
            var c = chords[bar % 4];
            for (int i = 0; i < 8; i++) // Alberti bass in eighths
                piano.Note(bar * 4 + i * 0.5, 0.5, c[new[] { 0, 2, 1, 2 }[i % 4]], 60);
            for (int q = 0; q < 4; q++)
                piano.Note(bar * 4 + q, 1, melody[(bar * 4 + q) % melody.Length], 85);
        }
        return m;
    }

    public static MidiSketch Rock()
    {
        var m = new MidiSketch(124);
        var guitar = m.AddTrack(0, 30);   // distortion guitar
        var bass = m.AddTrack(1, 33);     // electric bass (finger)
        var drums = m.AddTrack(9, 0);
        int[] roots = [40, 40, 43, 45, 40, 40, 47, 45];   // E E G A E E B A
        for (int bar = 0; bar < 10; bar++)
        {
            int root = roots[bar % roots.Length];
            for (int e = 0; e < 8; e++)
            {
                double t = bar * 4 + e * 0.5;
                guitar.Chord(t, 0.45, 100, root, root + 7, root + 12);
                bass.Note(t, 0.45, root - 12, 95);
                drums.Note(t, 0.25, 42, 70);                       // closed hi-hat
            }
            drums.Note(bar * 4, 0.5, 36, 110).Note(bar * 4 + 2, 0.5, 36, 110).Note(bar * 4 + 2.5, 0.5, 36, 100);
            drums.Note(bar * 4 + 1, 0.5, 38, 110).Note(bar * 4 + 3, 0.5, 38, 110);
            if (bar % 4 == 0) drums.Note(bar * 4, 1, 49, 100);     // crash
        }
        return m;
    }

    public static MidiSketch Strings()
    {
        var m = new MidiSketch(66);
        var ensemble = m.AddTrack(0, 48); // string ensemble
        var violin = m.AddTrack(1, 40);
        var cello = m.AddTrack(2, 42);
        int[][] chords = [[55, 59, 62], [52, 55, 60], [57, 60, 64], [50, 54, 57], [55, 59, 62], [48, 52, 55]];
        int[] tune = [74, 76, 79, 78, 76, 74, 72, 71, 69, 71, 72, 74];
        for (int bar = 0; bar < 6; bar++)
        {
            var c = chords[bar];
            ensemble.Chord(bar * 4, 4, 70, c);
            cello.Note(bar * 4, 4, c[0] - 12, 75);
            violin.Note(bar * 4, 2, tune[(2 * bar) % tune.Length], 85).Note(bar * 4 + 2, 2, tune[(2 * bar + 1) % tune.Length], 85);
        }
        return m;
    }

    public static MidiSketch Techno()
    {
        var m = new MidiSketch(132);
        var bass = m.AddTrack(0, 38);   // synth bass 1
        var lead = m.AddTrack(1, 81);   // lead 2 (sawtooth)
        var drums = m.AddTrack(9, 0);
        int[] bassLine = [36, 36, 48, 36, 39, 36, 46, 36];
        for (int bar = 0; bar < 11; bar++)
        {
            for (int b = 0; b < 4; b++)
            {
                double t = bar * 4 + b;
                drums.Note(t, 0.5, 36, 120);                  // four-on-the-floor kick
                drums.Note(t + 0.5, 0.25, 46, 80);            // open hi-hat offbeat
                drums.Note(t + 0.25, 0.1, 42, 50).Note(t + 0.75, 0.1, 42, 50);
                if (b % 2 == 1) drums.Note(t, 0.5, 39, 100);  // clap
            }
            for (int s = 0; s < 16; s++) bass.Note(bar * 4 + s * 0.25, 0.2, bassLine[s % 8], 100);
            if (bar % 2 == 1) lead.Chord(bar * 4 + 0.5, 0.4, 80, 60, 63, 67).Chord(bar * 4 + 1.5, 0.4, 80, 60, 63, 67).Chord(bar * 4 + 3, 0.4, 80, 58, 63, 65);
        }
        return m;
    }
}
