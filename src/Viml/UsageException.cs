namespace Viml;

/// <summary>
/// A command-line or API option out of its range (<c>--top 0</c>, <c>--min-duration NaN</c>): the CLI reports it
/// as a usage error, like an unknown option. Still an <see cref="InvalidInputException"/>, so the web API answers 400.
/// </summary>
public class UsageException : InvalidInputException
{
    public UsageException(string message, Exception? inner = null) : base(message, inner) { }
}
