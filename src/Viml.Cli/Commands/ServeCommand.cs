using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Web;

namespace Viml.Cli.Commands;

/// <summary><c>viml serve --catalog DIR --model CKPT [--port 5117]</c>: the web app on this machine.</summary>
sealed class ServeCommand : Command<ServeCommand.Settings>
{
    public sealed class Settings : QuerySettings
    {
        [CommandOption("-p|--port <PORT>")]
        [Description("TCP port to listen on (0 = any free port)")]
        [DefaultValue(5117)]
        public int Port { get; init; } = 5117;

        [CommandOption("--host <ADDRESS>")]
        [Description("Address to listen on (default 127.0.0.1: this machine only)")]
        [DefaultValue("127.0.0.1")]
        public string Host { get; init; } = "127.0.0.1";

        [CommandOption("--max-upload-mb <MB>")]
        [Description("Largest video the web app accepts, in MiB")]
        [DefaultValue(512)]
        public int MaxUploadMb { get; init; } = 512;

        [CommandOption("--allowed-host <NAME>")]
        [Description("A host name the server answers to besides localhost and its address (repeatable), e.g. the machine's DNS name")]
        public string[] AllowedHosts { get; init; } = [];

        public override ValidationResult Validate() =>
            Port is < 0 or > 65535 ? ValidationResult.Error("--port must be 0-65535")
            : !System.Net.IPAddress.TryParse(Host, out _) ? ValidationResult.Error($"--host {Host}: not an IP address")
            : MaxUploadMb < 1 ? ValidationResult.Error("--max-upload-mb must be at least 1")
            : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        using var service = s.Open(out var parts);
        using (parts)
        {
            var options = new WebOptions { Host = s.Host, Port = s.Port, MaxUploadBytes = s.MaxUploadMb * 1024L * 1024, AllowedHosts = s.AllowedHosts };
            if (options.ExposureWarning is { } warning) Console.Error.WriteLine($"viml: warning: {warning}");
            VimlWeb.Serve(service, options,
                url => AnsiConsole.MarkupLine($"Viml at [link]{Markup.Escape(url)}[/] ({service.Catalog.CountTracks()} tracks); API description at {Markup.Escape(url)}/openapi/v1.json. Ctrl+C stops."),
                cancellation);
            return 0;
        }
    }
}
