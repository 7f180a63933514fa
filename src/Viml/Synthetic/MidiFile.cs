using System.Buffers.Binary;

namespace Viml.Synthetic;

/// <summary>A note to play: General MIDI channel, program, pitch, velocity, start and length in beats.</summary>
public readonly record struct Note(int Channel, int Pitch, int Velocity, double Start, double Length);

/// <summary>Writes a type-0 Standard MIDI File (one track) from notes, programs and a tempo.</summary>
public static class MidiFile
{
    const int TicksPerBeat = 480;

    public static byte[] Write(IEnumerable<Note> notes, IReadOnlyDictionary<int, int> programs, double bpm)
    {
        var events = new List<(long Tick, int Order, byte[] Bytes)>();
        int usPerBeat = (int)Math.Round(60_000_000 / bpm);
        events.Add((0, 0, new byte[] { 0xFF, 0x51, 0x03, (byte)(usPerBeat >> 16), (byte)(usPerBeat >> 8), (byte)usPerBeat }));
        foreach (var (ch, program) in programs)
            events.Add((0, 1, new byte[] { (byte)(0xC0 | ch), (byte)program }));
        foreach (var n in notes)
        {
            long on = (long)Math.Round(n.Start * TicksPerBeat), off = (long)Math.Round((n.Start + n.Length) * TicksPerBeat);
            events.Add((on, 3, new byte[] { (byte)(0x90 | n.Channel), (byte)Math.Clamp(n.Pitch, 0, 127), (byte)Math.Clamp(n.Velocity, 1, 127) }));
            events.Add((Math.Max(off, on + 1), 2, new byte[] { (byte)(0x80 | n.Channel), (byte)Math.Clamp(n.Pitch, 0, 127), 0 }));
        }
        events.Sort((a, b) => a.Tick != b.Tick ? a.Tick.CompareTo(b.Tick) : a.Order.CompareTo(b.Order));

        var track = new MemoryStream();
        long last = 0;
        foreach (var e in events)
        {
            WriteVarLen(track, e.Tick - last);
            track.Write(e.Bytes);
            last = e.Tick;
        }
        WriteVarLen(track, 0);
        track.Write(new byte[] { 0xFF, 0x2F, 0x00 });

        var file = new MemoryStream();
        file.Write("MThd"u8);
        WriteBigEndian(file, 6);
        file.Write(new byte[] { 0, 0, 0, 1, (byte)(TicksPerBeat >> 8), TicksPerBeat & 0xFF });
        file.Write("MTrk"u8);
        WriteBigEndian(file, (int)track.Length);
        track.WriteTo(file);
        return file.ToArray();
    }

    static void WriteBigEndian(Stream s, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        s.Write(b);
    }

    static void WriteVarLen(Stream s, long value)
    {
        Span<byte> buf = stackalloc byte[5];
        int i = 4;
        buf[i] = (byte)(value & 0x7F);
        while ((value >>= 7) > 0) buf[--i] = (byte)(0x80 | (value & 0x7F));
        s.Write(buf[i..]);
    }
}
