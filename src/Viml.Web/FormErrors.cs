using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Viml.Web;

/// <summary>
/// What went wrong while reading an upload form, said as it happened: the body over the size limit (413),
/// too many fields or a field over its length limit (400, naming the limit), the client too slow for the
/// upload timeout (408), the body cut off or not multipart (400), the server's disk full (507).
/// </summary>
public static partial class FormErrors
{
    [GeneratedRegex(@"^(?<what>Form value count|Form key length|Form value length|Multipart body length|Multipart header length|Multipart header count|Multipart boundary length) limit (?<n>\d+) exceeded")]
    private static partial Regex LimitMessage();

    /// <summary>The answer for an exception thrown by <c>ReadFormAsync</c>, or null when it is not a form error.</summary>
    public static IResult? Explain(Exception e, WebOptions options)
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
            return m.Groups["what"].Value switch
            {
                "Multipart body length" => TooLarge(options),
                "Form value count" => Problem($"form: more than {n} fields (the limit on form fields; e.g. fewer 'tag' fields)", 400),
                "Form key length" => Problem($"form: a field name longer than {n} bytes (the limit)", 400),
                "Form value length" => Problem($"form: a field longer than {n} bytes (the limit on a field's value)", 400),
                _ => Problem($"form: {m.Groups["what"].Value.ToLowerInvariant()} over the limit of {n}", 400),
            };
        }
        if (e is IOException { HResult: 28 or 122 })   // ENOSPC, EDQUOT: the server's disk, not the client's form
            return Problem("no space left on the server for the upload", StatusCodes.Status507InsufficientStorage);
        if (e is InvalidDataException)
            return Problem($"malformed multipart/form-data body ({e.Message})", StatusCodes.Status400BadRequest);
        if (e is IOException)   // the body ended early or the connection broke; the message may name server files
            return Problem("malformed multipart/form-data body (it ended early or could not be read)", StatusCodes.Status400BadRequest);
        return null;
    }

    public static IResult TooLarge(WebOptions o) =>
        Problem($"video: larger than the {o.MaxUploadBytes / (1024 * 1024.0):0.#} MiB limit", StatusCodes.Status413PayloadTooLarge);

    static IResult Problem(string detail, int status) => Results.Problem(detail, statusCode: status);
}
