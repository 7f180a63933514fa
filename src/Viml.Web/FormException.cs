namespace Viml.Web;

/// <summary>A request form the client got wrong: the HTTP status to answer and what to say.</summary>
public sealed class FormException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}
