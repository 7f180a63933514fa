using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Viml.Web;

/// <summary>The page: its HTML, scripts and style, embedded in the assembly and left out of the API description.</summary>
static class PageEndpoints
{
    public static void MapPage(this WebApplication app)
    {
        app.MapGet("/", () => Embedded("index.html", "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/app.js", () => Embedded("app.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/rhythm.js", () => Embedded("rhythm.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/app.css", () => Embedded("app.css", "text/css; charset=utf-8")).ExcludeFromDescription();
    }

    static FileStreamHttpResult Embedded(string name, string contentType)
    {
        var asm = typeof(PageEndpoints).Assembly;
        var res = asm.GetManifestResourceNames().First(n => n.EndsWith("wwwroot." + name, StringComparison.Ordinal));
        return TypedResults.Stream(asm.GetManifestResourceStream(res)!, contentType);
    }
}
