namespace Viml.Web;

/// <summary>
/// The folder where uploads live while their query runs. Opening it refuses a folder that is a symbolic link
/// (someone else's link in a shared temp folder would send uploads where they choose) and one this user cannot
/// make owner-only (0700: someone else's folder); it then deletes the uploads a killed server left behind.
/// Each upload is created 0600 under a server-chosen name and holds a shared lock (flock) until it is deleted,
/// so a server starting beside a running one tells that one's uploads (locked) from stale ones (not).
/// </summary>
public sealed class UploadFolder
{
    public const string Extension = ".upload";
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Path { get; }
    /// <summary>Uploads a killed server left, deleted by <see cref="Open"/>.</summary>
    public int StaleRemoved { get; }

    UploadFolder(string path, int staleRemoved) { Path = path; StaleRemoved = staleRemoved; }

    /// <summary>
    /// Creates (0700) or checks the folder and removes stale uploads; <see cref="InvalidInputException"/>
    /// naming the folder when it is unsafe.
    /// </summary>
    public static UploadFolder Open(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full)) throw new InvalidInputException($"{full}: the upload folder is a file");
        try { Directory.CreateDirectory(full, OwnerOnly); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{full}: cannot create the upload folder ({e.Message})", e);
        }
        var info = new DirectoryInfo(full);
        if (info.LinkTarget is { } target)   // checked after creating: CreateDirectory accepts a link to a folder
            throw new InvalidInputException(
                $"{full}: the upload folder is a symbolic link (to {target}); remove it or choose another folder");
        try { File.SetUnixFileMode(full, OwnerOnly); }   // fails unless this user owns it
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidInputException($"{full}: the upload folder belongs to another user; remove it or choose another folder", e);
        }
        int removed = 0;
        foreach (var f in Directory.EnumerateFiles(full, "*" + Extension))
            if (TryDeleteStale(f)) removed++;
        return new UploadFolder(full, removed);
    }

    /// <summary>A new, empty upload file (0600) and its locked handle, open for writing.</summary>
    public Upload Create()
    {
        string file = System.IO.Path.Combine(Path, Guid.NewGuid().ToString("N") + Extension);
        var stream = new FileStream(file, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 1 << 16,
            Options = FileOptions.Asynchronous, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        return new Upload(file, stream);
    }

    /// <summary>Deletes <paramref name="file"/> unless a live server holds its lock.</summary>
    static bool TryDeleteStale(string file)
    {
        try
        {
            using (new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None)) { }   // LOCK_EX: nobody holds it
            File.Delete(file);
            return true;
        }
        catch (IOException) { return false; }   // held by a running server (or gone already)
        catch (UnauthorizedAccessException) { return false; }
    }
}

/// <summary>An upload being written or read; disposing deletes the file, then releases its lock.</summary>
public sealed class Upload(string path, FileStream stream) : IAsyncDisposable
{
    public string Path { get; } = path;
    /// <summary>Write the upload here, then flush; it stays open (and locked) until disposed.</summary>
    public FileStream Stream { get; } = stream;

    public async ValueTask DisposeAsync()
    {
        try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        await Stream.DisposeAsync();
    }
}
