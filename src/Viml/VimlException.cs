namespace Viml;

/// <summary>Base of every error Viml reports to a user: the message names the input and the problem.</summary>
public class VimlException : Exception
{
    public VimlException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A user-supplied input (file, config, text, upload) is missing, unreadable or malformed.</summary>
public class InvalidInputException : VimlException
{
    public InvalidInputException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A media file cannot be probed or decoded.</summary>
public class MediaException : InvalidInputException
{
    public string Path { get; }
    /// <summary>What is wrong with the file, without its name ("no audio stream", "too short (0.2 s; …)").</summary>
    public string Problem { get; }
    public MediaException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner) { Path = path; Problem = problem; }
}

/// <summary>A configuration file or value is invalid.</summary>
public class ConfigException : InvalidInputException
{
    public ConfigException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// An output (file, folder, database) cannot be created or written: a read-only or full file system, no
/// permission, a quota.
/// </summary>
public class OutputException : VimlException
{
    public OutputException(string message, Exception? inner = null, bool cannotCreate = false) : base(message, inner) { CannotCreate = cannotCreate; }

    /// <summary>True when the output cannot be created at all (read-only, no permission); false when writing it
    /// failed (no space left, quota, I/O).</summary>
    public bool CannotCreate { get; }

    /// <summary>Wraps a file-system error on <paramref name="path"/>: "read-only" and "permission denied" cannot
    /// create, anything else (no space left, quota, I/O) is a write error.</summary>
    public static OutputException For(string path, string what, Exception e)
    {
        // On Linux .NET puts errno in HResult: EROFS = 30, EACCES = 13, EPERM = 1.
        bool cannotCreate = e is UnauthorizedAccessException || e.HResult is 30 or 13 or 1 || e.Message.Contains("Read-only file system", StringComparison.Ordinal);
        return new OutputException($"{path}: {what} ({e.Message})", e, cannotCreate);
    }
}
