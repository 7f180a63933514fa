namespace Viml;

/// <summary>Base of every error Viml reports to a user: the message names the input and the problem.</summary>
public class VimlException : Exception
{
    public VimlException(string message, Exception? inner = null) : base(message, inner) { }
    /// <summary>Process exit code the CLI uses for this kind of error.</summary>
    public virtual int ExitCode => 1;
}

/// <summary>A user-supplied input (file, config, text, upload) is missing, unreadable or malformed.</summary>
public class InvalidInputException : VimlException
{
    public InvalidInputException(string message, Exception? inner = null) : base(message, inner) { }
    public override int ExitCode => 2;
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
