using System.Buffers.Binary;
using Google.Protobuf;

namespace Viml.Tests.Features.YouTube8M;

/// <summary>
/// Writes YouTube-8M-shaped TFRecord files for tests, independently of the product's reader: a
/// table-driven CRC-32C and the SequenceExample wire format written with CodedOutputStream.
/// </summary>
static class Yt8mFiles
{
    public sealed record Video(string Id, long[] Labels, byte[][] Rgb, byte[][] Audio);

    /// <summary>A video of <paramref name="seconds"/> with rgb[t][d] = (t*7 + d + seed) mod 256, audio[t][d] = (t*3 + 2d + seed) mod 256.</summary>
    public static Video Make(string id, int seconds, long[] labels, int seed = 0) => new(id, labels,
        Enumerable.Range(0, seconds).Select(t => Enumerable.Range(0, 1024).Select(d => (byte)((t * 7 + d + seed) % 256)).ToArray()).ToArray(),
        Enumerable.Range(0, seconds).Select(t => Enumerable.Range(0, 128).Select(d => (byte)((t * 3 + 2 * d + seed) % 256)).ToArray()).ToArray());

    public static byte[] Serialize(Video v) => Message(o =>
    {
        Field(o, 1, Message(ctx =>   // context: Features
        {
            MapEntry(ctx, "id", Message(f => Field(f, 1, Message(b => Field(b, 1, System.Text.Encoding.UTF8.GetBytes(v.Id))))));
            MapEntry(ctx, "labels", Message(f => Field(f, 3, Message(l =>
            {
                var packed = Message(p => { foreach (var x in v.Labels) p.WriteInt64(x); });
                Field(l, 1, packed);
            }))));
        }));
        Field(o, 2, Message(lists =>  // feature_lists: FeatureLists
        {
            MapEntry(lists, "rgb", FeatureList(v.Rgb));
            MapEntry(lists, "audio", FeatureList(v.Audio));
        }));
    });

    static byte[] FeatureList(byte[][] frames) => Message(fl =>
    {
        foreach (var frame in frames) Field(fl, 1, Message(f => Field(f, 1, Message(b => Field(b, 1, frame)))));
    });

    static void MapEntry(CodedOutputStream o, string key, byte[] value) => Field(o, 1, Message(e =>
    {
        e.WriteTag(1, WireFormat.WireType.LengthDelimited);
        e.WriteString(key);
        Field(e, 2, value);
    }));

    static void Field(CodedOutputStream o, int number, byte[] bytes)
    {
        o.WriteTag(number, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(bytes));
    }

    static byte[] Message(Action<CodedOutputStream> write)
    {
        var ms = new MemoryStream();
        var o = new CodedOutputStream(ms);
        write(o);
        o.Flush();
        return ms.ToArray();
    }

    /// <summary>Writes records with TFRecord framing; returns each record's start offset.</summary>
    public static long[] WriteTfRecord(string path, IEnumerable<byte[]> records)
    {
        using var fs = File.Create(path);
        var offsets = new List<long>();
        foreach (var data in records)
        {
            offsets.Add(fs.Position);
            var len = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)data.Length);
            fs.Write(len);
            fs.Write(U32(MaskedCrc(len)));
            fs.Write(data);
            fs.Write(U32(MaskedCrc(data)));
        }
        return offsets.ToArray();
    }

    static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }

    static readonly uint[] Table = Enumerable.Range(0, 256).Select(i =>
    {
        uint c = (uint)i;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint c = Crc(data);
        return ((c >> 15) | (c << 17)) + 0xA282EAD8u;
    }

    /// <summary>YouTube-8M's documented dequantization (starter code utils.Dequantize), for expected values.</summary>
    public static double Dequantize(double q) => q * 4.0 / 255.0 + 4.0 / 512.0 - 2.0;
}
