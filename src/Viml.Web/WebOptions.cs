namespace Viml.Web;

/// <summary>How <c>viml serve</c> listens and what it accepts.</summary>
public sealed record WebOptions
{
    /// <summary>Loopback by default: the app is for the person at this machine.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; } = 5117;
    /// <summary>Largest accepted upload (request body), bytes.</summary>
    public long MaxUploadBytes { get; init; } = 512L * 1024 * 1024;
    /// <summary>Where uploads live while a query runs (server-chosen names; deleted after use).</summary>
    public string UploadFolder { get; init; } = Path.Combine(Path.GetTempPath(), "viml-uploads");
}
