using Microsoft.AspNetCore.Http;

namespace Viml.Web;

/// <summary>503 with a Retry-After header, as a problem document: the query queue is full
/// (<see cref="UploadQueue"/>).</summary>
public sealed class BusyResult(int retryAfter, int capacity) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem($"busy: {capacity} queries are running or waiting; try again in {retryAfter} s",
            statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
    }
}
