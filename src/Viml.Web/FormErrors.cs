using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Viml.Web;

/// <summary>
/// What went wrong while reading an upload form, said as it happened: the client's own mistakes
/// (<see cref="FormException"/>: too many fields, a field too long, an empty or unknown file), the body over
/// the size limit (413), a part's headers over the reader's limits (400, naming the limit), the client too slow for the
/// upload timeout (408), the body cut off or not multipart (400), the server's disk full (507).
/// </summary>
public static partial class FormErrors
{
    [GeneratedRegex(@"^Multipart (?<what>body length|header length|header count|boundary length) limit (?<n>\d+) exceeded")]
    private static partial Regex LimitMessage();

    /// <summary>
    /// The answer for an exception thrown while reading the form (<see cref="UploadForm.ReadAsync"/>),
    /// or null when it is not a form error.
    /// </summary>
    public static ProblemHttpResult? Explain(Exception e, WebOptions options)
    {
        if (e is FormException form) return Problem(form.Message, form.Status);
        if (e is BadHttpRequestException bad)
            return bad.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => TooLarge(options),
                StatusCodes.Status408RequestTimeout => Problem(
                    $"upload timed out: the body arrived slower than {options.MinUploadBytesPerSecond} bytes/s " +
                    $"after a grace of {options.UploadGrace.TotalSeconds:0.#} s", StatusCodes.Status408RequestTimeout),
                _ => Problem($"malformed request body ({bad.Message})", StatusCodes.Status400BadRequest),
            };
        if (e is InvalidDataException && LimitMessage().Match(e.Message) is { Success: true } m)
        {
            string n = m.Groups["n"].Value;
            return m.Groups["what"].Value == "body length" ? TooLarge(options)
                : Problem($"form: a part's {m.Groups["what"].Value} is over the limit of {n}", 400);
        }
        if (e is IOException { HResult: 28 or 122 })   // ENOSPC, EDQUOT: the server's disk, not the client's form
            return Problem("no space left on the server for the upload", StatusCodes.Status507InsufficientStorage);
        if (e is InvalidDataException)
            return Problem($"malformed multipart/form-data body ({e.Message})", StatusCodes.Status400BadRequest);
        if (e is IOException)   // the body ended early or the connection broke; the message may name server files
            return Problem("malformed multipart/form-data body (it ended early or could not be read)", StatusCodes.Status400BadRequest);
        return null;
    }

    public static ProblemHttpResult TooLarge(WebOptions o) =>
        Problem($"video: larger than the {o.MaxUploadBytes / (1024 * 1024.0):0.#} MiB limit", StatusCodes.Status413PayloadTooLarge);

    static ProblemHttpResult Problem(string detail, int status) => TypedResults.Problem(detail, statusCode: status);
}
