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
    /// <summary>
    /// Host names the server answers to besides localhost, the loopback addresses and the bound address
    /// (the guard against DNS rebinding).
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    /// <summary>Queries that run at once (decode, encode, search); more wait in the queue.</summary>
    public int QueryWorkers { get; init; } = 1;
    /// <summary>Queries admitted beyond the running ones (uploading or waiting); more get 503 with Retry-After.</summary>
    public int QueryQueue { get; init; } = 8;
    /// <summary>An upload slower than this (bytes/s, after <see cref="UploadGrace"/>) is cut with 408; 0: never.</summary>
    public double MinUploadBytesPerSecond { get; init; } = 240;
    public TimeSpan UploadGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the bound address reaches only this machine.</summary>
    public bool IsLoopback => System.Net.IPAddress.TryParse(Host, out var a) && System.Net.IPAddress.IsLoopback(a);

    /// <summary>What to tell the person starting a server that other machines can reach; null on loopback.</summary>
    public string? ExposureWarning => IsLoopback ? null
        : $"listening on {Host}, reachable from other machines, and there is no login: anyone who can reach it can query " +
          "the catalog and play its audio; put it behind a proxy with authentication";
}
