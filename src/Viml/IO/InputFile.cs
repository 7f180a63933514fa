using System.Runtime.InteropServices;
using System.Text;

namespace Viml.IO;

/// <summary>Checks on a user-named input file that must happen before opening it.</summary>
public static partial class InputFile
{
    /// <summary>
    /// What makes <paramref name="path"/> unusable before it is even opened, or null: a name in it longer than
    /// the 255 bytes a Linux file name may have, or a named pipe, socket or device (opening a pipe that has no
    /// writer blocks forever). Missing files and folders are left to the caller.
    /// </summary>
    public static string? Problem(string path)
    {
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            if (Encoding.UTF8.GetByteCount(part) > 255)
                return $"a name in the path is {Encoding.UTF8.GetByteCount(part)} bytes long; file names are at most 255 bytes";
        if (!OperatingSystem.IsLinux()) return null;
        var buf = new byte[256];
        int rc;
        try { rc = Statx(-100 /* AT_FDCWD */, path, 0, 1 /* STATX_TYPE */, buf); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return null; }
        if (rc != 0) return null;
        int type = BitConverter.ToUInt16(buf, 28) & 0xF000;   // stx_mode
        return type is 0x8000 or 0x4000 ? null : $"not a regular file (a {TypeName(type)}); give a file";   // S_IFREG, S_IFDIR
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming <paramref name="path"/> when <see cref="Problem"/> finds one.</summary>
    public static void Check(string path)
    {
        if (Problem(path) is { } p) throw new InvalidInputException($"{path}: {p}");
    }

    static string TypeName(int type) => type switch { 0x1000 => "named pipe", 0xC000 => "socket", 0x2000 => "character device", 0x6000 => "block device", _ => "special file" };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte[] statxbuf);
}
