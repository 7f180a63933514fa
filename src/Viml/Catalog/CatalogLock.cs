namespace Viml.Catalog;

/// <summary>
/// One writer per catalog folder: <c>catalog add</c>, <c>sync</c> and <c>reembed</c> hold an exclusive OS lock on
/// <c>catalog.lock</c> (flock on Linux, through <see cref="FileShare.None"/>) for their whole run, and write their
/// process id to <c>catalog.pid</c>, so a second writer fails at once with "catalog in use by pid N" instead of
/// redoing all the work and changing track ids. The OS drops the lock when the process ends, even on SIGKILL, so a
/// killed run never leaves the catalog locked. Both files stay in the folder (deleting a lock file lets two writers
/// hold locks on two different files).
/// </summary>
public sealed class CatalogLock : IDisposable
{
    public const string LockFile = "catalog.lock", PidFile = "catalog.pid";

    readonly FileStream _held;

    CatalogLock(FileStream held) { _held = held; }

    /// <summary>Takes the lock on <paramref name="root"/> (created when absent), or throws
    /// <see cref="CatalogBusyException"/>.</summary>
    public static CatalogLock Acquire(string root)
    {
        root = Path.GetFullPath(root);
        try { Directory.CreateDirectory(root); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputException.For(root, "cannot create the catalog folder", e);
        }
        string path = Path.Combine(root, LockFile);
        FileStream held;
        try { held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException e) when (IsBusy(e))
        {
            string who = ReadPid(root) is int pid ? $"pid {pid}" : "another process";
            throw new CatalogBusyException($"{root}: catalog in use by {who} (another viml catalog add, sync or reembed); " +
                "run this again when it has finished", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OutputException.For(path, "cannot create the catalog lock", e);
        }
        try { Viml.IO.AtomicFile.WriteAllText(Path.Combine(root, PidFile), Environment.ProcessId + "\n"); }
        catch { held.Dispose(); throw; }
        return new CatalogLock(held);
    }

    /// <summary>EWOULDBLOCK (11 on Linux) from the lock, or a sharing violation elsewhere.</summary>
    static bool IsBusy(IOException e) =>
        e.HResult is 11 or unchecked((int)0x80070020)
        || e.Message.Contains("being used by another process", StringComparison.Ordinal);

    static int? ReadPid(string root)
    {
        try { return int.TryParse(File.ReadAllText(Path.Combine(root, PidFile)).Trim(), out int pid) ? pid : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public void Dispose() => _held.Dispose();
}
