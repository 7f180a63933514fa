namespace Viml.IO;

/// <summary>
/// Checks, before a command loads any model, that a folder it will write can be made there: not a file of that
/// name, and no file in the place of a folder above it. Writing may still fail later (a read-only or full file
/// system); this only turns the certain failures into an error that comes at once.
/// </summary>
public static class OutputFolder
{
    /// <summary>Throws <see cref="OutputException"/> (cannot create) naming <paramref name="path"/> and what is in its way.</summary>
    public static void CheckCreatable(string path, string what)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
            throw new OutputException($"{full}: cannot create the {what} (a file of that name is in the way)", cannotCreate: true);
        for (var d = Path.GetDirectoryName(full); d is not null; d = Path.GetDirectoryName(d))
        {
            if (Directory.Exists(d)) return;
            if (File.Exists(d))
                throw new OutputException($"{full}: cannot create the {what} ({d} is a file, not a folder)", cannotCreate: true);
        }
    }
}
