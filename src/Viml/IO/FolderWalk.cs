using System.Runtime.InteropServices;

namespace Viml.IO;

/// <summary>
/// The files under a folder, visiting each real folder once: a folder is known by its device and inode, so a
/// symbolic link back up the tree (<c>sub/up -&gt; ..</c>), or two links to one folder, neither loops nor lists a
/// file twice. Breadth first with names in ordinal order, so a file is named by its shortest path, the same on every
/// run. Folders that cannot be read (no permission, a dangling or looping link) and hidden entries are passed over.
/// </summary>
public static partial class FolderWalk
{
    /// <summary>Every file under <paramref name="root"/>, recursively, each real folder visited once.</summary>
    public static IEnumerable<string> Files(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        if (Identity(root) is { } id) seen.Add(id);
        queue.Enqueue(root);
        // hidden and system entries (names starting with '.') are skipped, as Directory.EnumerateFiles does by default
        var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false };
        while (queue.Count > 0)
        {
            string dir = queue.Dequeue();
            string[] entries;
            try { entries = Directory.GetFileSystemEntries(dir, "*", options); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            Array.Sort(entries, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (Directory.Exists(entry))   // follows links: a link to a folder is a folder
                {
                    // a folder whose identity cannot be read (a link loop, gone meanwhile) is skipped rather than risked
                    if (Identity(entry) is { } key && seen.Add(key)) queue.Enqueue(entry);
                }
                else if (File.Exists(entry)) yield return entry;
            }
        }
    }

    /// <summary>"device:inode" of what <paramref name="path"/> names after following links (elsewhere than Linux, its
    /// resolved full path), or null when it cannot be read.</summary>
    static string? Identity(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buf = new byte[256];
            try
            {
                // statx(AT_FDCWD, path, follow links, STATX_INO): stx_ino at 32, stx_dev_major/minor at 136/140
                if (Statx(-100, path, 0, 0x100, buf) != 0) return null;
                return $"{BitConverter.ToUInt32(buf, 136)}.{BitConverter.ToUInt32(buf, 140)}:{BitConverter.ToUInt64(buf, 32)}";
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
        }
        // elsewhere the resolved full path stands for the folder
        try
        {
            var info = new DirectoryInfo(path);
            return info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(true)?.FullName ?? info.FullName;
        }
        catch (IOException) { return null; }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte[] statxbuf);
}
