using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.Http;

namespace Viml.Web;

/// <summary>
/// The server has no login, so it answers only requests meant for it. <b>Host</b>: a request whose Host
/// header names a host other than localhost, a loopback address, the bound address (with a wildcard bind,
/// any address of this machine) or an <see cref="WebOptions.AllowedHosts"/> name is refused with 421: a page
/// of another site whose name was re-pointed at this machine (DNS rebinding) cannot read or query it.
/// <b>Cross-site writes</b>: a POST (any method but GET, HEAD, OPTIONS) that a browser marks as sent by another
/// site (<c>Sec-Fetch-Site</c> other than same-origin or none, or an <c>Origin</c> that is not this server) is
/// refused with 403. Clients that send neither header (curl, scripts) are not browsers and pass.
/// </summary>
public sealed class HostGuard
{
    readonly HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);

    public HostGuard(WebOptions options)
    {
        names.UnionWith(["localhost", "127.0.0.1", "::1"]);
        foreach (var h in options.AllowedHosts) names.Add(Normalise(h));
        if (IPAddress.TryParse(options.Host, out var bound) && (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any)))
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                foreach (var a in nic.GetIPProperties().UnicastAddresses)
                    names.Add(Normalise(a.Address.ToString()));
        else names.Add(Normalise(options.Host));
    }

    /// <summary>Whether a Host header's host part (no port) names this server.</summary>
    public bool Allows(string host) => names.Contains(Normalise(host));

    /// <summary>The middleware.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var host = context.Request.Host;
        if (host.HasValue && !Allows(host.Host))
        {
            await Results.Problem(
                $"host '{host.Host}' is not a name of this server; start it with --allowed-host {host.Host} to answer to it",
                statusCode: StatusCodes.Status421MisdirectedRequest).ExecuteAsync(context);
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !HttpMethods.IsOptions(context.Request.Method) && CrossSite(context.Request) is { } why)
        {
            await Results.Problem($"cross-site request refused ({why})", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    /// <summary>Why a browser's request came from another site, or null when it did not (or no browser sent it).</summary>
    static string? CrossSite(HttpRequest request)
    {
        string site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none")) return $"Sec-Fetch-Site: {site}";
        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var o)) return $"Origin: {origin}";
        string self = $"{request.Scheme}://{request.Host}";
        bool same = o.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        return same ? null : $"Origin {origin} is not {self}";
    }

    static string Normalise(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.').ToLowerInvariant();
}
