namespace Viml.Web;

/// <summary>
/// Recognises a video container by its first bytes (magic numbers), never by the file name:
/// ISO BMFF (MP4, MOV, 3GP, M4V: "ftyp" at offset 4), Matroska/WebM (EBML header), AVI (RIFF...AVI ),
/// MPEG-TS (sync byte 0x47 every 188 bytes), MPEG-PS (pack header), FLV, Ogg, ASF/WMV.
/// </summary>
public static class VideoSniffer
{
    /// <summary>Bytes <see cref="Sniff"/> looks at.</summary>
    public const int HeaderLength = 512;

    /// <summary>The container's name, or null when the bytes are not a video container Viml reads.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = head.Slice(8, 4);
            // audio-only MP4 brands are not videos
            if (brand.SequenceEqual("M4A "u8) || brand.SequenceEqual("M4B "u8) || brand.SequenceEqual("M4P "u8)) return null;
            return brand.SequenceEqual("qt  "u8) ? "quicktime" : "mp4";
        }
        if (head.Length >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3) return "matroska";
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head.Slice(8, 4).SequenceEqual("AVI "u8)) return "avi";
        if (head.Length >= 377 && head[0] == 0x47 && head[188] == 0x47 && head[376] == 0x47) return "mpegts";
        if (head.Length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 1 && head[3] == 0xBA) return "mpeg";
        if (head.Length >= 4 && head[..3].SequenceEqual("FLV"u8) && head[3] == 1) return "flv";
        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8)) return "ogg";
        if (head.Length >= 16 && head[..16].SequenceEqual(new byte[] { 0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C })) return "asf";
        return null;
    }
}
