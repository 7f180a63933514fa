using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Viml.Catalog;

namespace Viml.Web;

/// <summary>
/// <c>viml serve</c>: the page (embedded static HTML + JS), a JSON API described at <c>/openapi/v1.json</c>,
/// and track audio streamed by id with range requests. Uploads are capped, recognised by their bytes,
/// stored under a server-chosen name and deleted once answered; nothing from the request names a path.
/// </summary>
public static class VimlWeb
{
    public static WebApplication Build(RecommendService service, WebOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            k.Limits.MinRequestBodyDataRate = options.MinUploadBytesPerSecond > 0
                ? new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(options.MinUploadBytesPerSecond, options.UploadGrace) : null;
            k.Listen(System.Net.IPAddress.Parse(options.Host), options.Port);
        });
        builder.Services.AddSingleton(_ => UploadFolder.Open(options.UploadFolder));
        builder.Services.AddSingleton(_ => new UploadQueue(options.QueryWorkers, options.QueryQueue));
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = $"Viml | {VimlVersion.Text}";
            doc.Info.Version = VimlVersion.Text;
            return Task.CompletedTask;
        }));
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        var folder = app.Services.GetRequiredService<UploadFolder>();
        var queue = app.Services.GetRequiredService<UploadQueue>();
        app.Use(new HostGuard(options).InvokeAsync);

        app.MapOpenApi();
        app.MapPage();
        app.MapCatalog(service);
        app.MapRecommend(service, options, folder, queue);
        app.MapRender(service, options);
        return app;
    }

    /// <summary>Builds, starts, reports the address, and blocks until Ctrl+C / SIGTERM or <paramref name="ct"/>.</summary>
    public static void Serve(RecommendService service, WebOptions options, Action<string> started, CancellationToken ct = default)
    {
        var app = Build(service, options);
        try
        {
            app.StartAsync(ct).GetAwaiter().GetResult();
            started(app.Urls.FirstOrDefault() ?? $"http://{options.Host}:{options.Port}");
            app.WaitForShutdownAsync(ct).GetAwaiter().GetResult();
        }
        catch (IOException e) { throw new InvalidInputException($"{options.Host}:{options.Port}: cannot listen ({e.Message})", e); }
        finally { app.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }
}
