using System.Buffers.Binary;
using System.Numerics;

namespace Viml.Features.YouTube8M;

/// <summary>
/// CRC-32C (Castagnoli), the checksum TFRecord files use. <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// runs on the SSE4.2 / ARMv8 CRC instruction where present and falls back to software elsewhere.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    /// <summary>TFRecord's masked form: rotate right by 15 and add a constant, so a CRC of data holding CRCs stays well distributed.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }
}

/// <summary>One record read from a TFRecord file: its payload, or why it was skipped.</summary>
public sealed record TfRecord(string File, int Index, long Offset, byte[]? Data, string? Problem)
{
    public bool Ok => Data is not null;
}

/// <summary>
/// Reads TFRecord framing: <c>uint64 length</c>, <c>uint32 masked_crc32c(length)</c>, <c>data</c>,
/// <c>uint32 masked_crc32c(data)</c>, all little-endian. Both checksums are verified. A record whose
/// data checksum fails is reported and skipped, reading goes on with the next one; a bad length
/// checksum, a declared length past the end of the file, or a truncated record ends the file
/// (nothing after it can be located reliably) with one reported problem.
/// </summary>
public static class TfRecordReader
{
    /// <summary>Largest record accepted (YouTube-8M frame-level records are well under 2 MB).</summary>
    public const long MaxRecordBytes = 256L << 20;

    public static IEnumerable<TfRecord> Read(string path, CancellationToken ct = default)
    {
        FileStream fs;
        try { fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InvalidInputException($"{path}: cannot read ({e.Message})", e); }
        using (fs)
        {
            foreach (var r in Read(fs, path, ct)) yield return r;
        }
    }

    public static IEnumerable<TfRecord> Read(Stream stream, string name, CancellationToken ct = default)
    {
        var header = new byte[12];
        var footer = new byte[4];
        long offset = 0;
        for (int index = 0; ; index++)
        {
            ct.ThrowIfCancellationRequested();
            int got = ReadFully(stream, header);
            if (got == 0) yield break;
            if (got < header.Length)
            {
                yield return new TfRecord(name, index, offset, null, $"record {index} at byte {offset}: truncated header ({got} of 12 bytes); rest of file skipped");
                yield break;
            }
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
            if (Crc32C.Masked(header.AsSpan(0, 8)) != lengthCrc)
            {
                yield return new TfRecord(name, index, offset, null, $"record {index} at byte {offset}: length checksum mismatch (corrupt file); rest of file skipped");
                yield break;
            }
            long remaining = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
            if (length > MaxRecordBytes || (long)length + 4 > remaining)
            {
                yield return new TfRecord(name, index, offset, null,
                    $"record {index} at byte {offset}: declared length {length} bytes exceeds {(length > MaxRecordBytes ? $"the {MaxRecordBytes >> 20} MB limit" : "the rest of the file")} (truncated file?); rest of file skipped");
                yield break;
            }
            var data = new byte[length];
            int n = ReadFully(stream, data);
            int f = n == data.Length ? ReadFully(stream, footer) : 0;
            if (n < data.Length || f < footer.Length)
            {
                yield return new TfRecord(name, index, offset, null, $"record {index} at byte {offset}: truncated ({n} of {length} data bytes); rest of file skipped");
                yield break;
            }
            long start = offset;
            offset += 12 + (long)length + 4;
            if (Crc32C.Masked(data) != BinaryPrimitives.ReadUInt32LittleEndian(footer))
                yield return new TfRecord(name, index, start, null, $"record {index} at byte {start}: data checksum mismatch; record skipped");
            else
                yield return new TfRecord(name, index, start, data, null);
        }
    }

    static int ReadFully(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}

/// <summary>Writes TFRecord framing (for exporting or for building test files readable by TensorFlow).</summary>
public sealed class TfRecordWriter(Stream stream)
{
    public void Write(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        stream.Write(header);
        stream.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(footer);
    }
}
