namespace Viml.IO;

/// <summary>Writes a file so that readers see either the old content or the whole new one: temp name, flush, rename.</summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write) =>
        WriteVia(path, tmp =>
        {
            using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(fs);
            fs.Flush(flushToDisk: true);
        });

    /// <summary>
    /// The same guarantee for writers that only take a path (a native library's save): <paramref name="writeTemp"/>
    /// writes the whole file at the temp path it is given and flushes it; the temp is then renamed into place,
    /// or deleted when anything fails.
    /// </summary>
    public static void WriteVia(string path, Action<string> writeTemp)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw OutputException.For(dir, "cannot create the output folder", e); }
        string tmp = TempPathFor(full);
        try
        {
            writeTemp(tmp);
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e)
        {
            try { File.Delete(tmp); } catch { /* the temp file is ours; nothing else to do */ }
            if (e is IOException or UnauthorizedAccessException)
                throw OutputException.For(full, "cannot write", e);
            throw;
        }
    }

    /// <summary>The temp name of a write in progress: <c>.name.pid.guid.tmp</c> beside the target.</summary>
    static string TempPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    static readonly System.Text.RegularExpressions.Regex TempName =
        new(@"^\..+\.(?<pid>\d+)\.[0-9a-f]{32}\.tmp$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// Deletes the temp files that killed writers left in <paramref name="dir"/> (and, when asked, its subfolders):
    /// only names of the <c>.name.pid.guid.tmp</c> form whose process is gone. A live writer's temp file is kept.
    /// Returns how many were removed; a folder that does not exist has none.
    /// </summary>
    public static int RemoveOrphans(string dir, bool recursive = false)
    {
        if (!Directory.Exists(dir)) return 0;
        int removed = 0;
        IEnumerable<string> files;
        try { files = Directory.EnumerateFiles(dir, ".*.tmp", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
        foreach (var f in files)
        {
            var m = TempName.Match(Path.GetFileName(f));
            if (!m.Success || !int.TryParse(m.Groups["pid"].Value, out int pid) || IsAlive(pid)) continue;
            try { File.Delete(f); removed++; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* someone else's; leave it */ }
        }
        return removed;
    }

    static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true); w.Write(text); });

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
