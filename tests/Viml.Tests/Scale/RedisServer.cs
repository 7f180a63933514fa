using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Viml.Tests.Scale;

/// <summary>
/// A real redis-server for the tests: loopback only, a free port, a temporary folder, no persistence;
/// started once for the collection and stopped (by its process id) at the end.
/// </summary>
public sealed class RedisServer : IDisposable
{
    readonly Process process;
    readonly string dir = Directory.CreateTempSubdirectory("viml-redis-").FullName;
    public int Port { get; }
    public string Url => $"redis://127.0.0.1:{Port}";
    public ConnectionMultiplexer Connection { get; }

    public RedisServer()
    {
        string exe = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        Port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes" })
            psi.ArgumentList.Add(a);
        process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start redis-server (install the Debian package redis-server)");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                Connection = ConnectionMultiplexer.Connect($"127.0.0.1:{Port},connectTimeout=500");
                break;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !process.HasExited) { Thread.Sleep(50); }
        }
    }

    public void Dispose()
    {
        Connection.Dispose();
        try { process.Kill(); process.WaitForExit(5000); } catch (InvalidOperationException) { }
        process.Dispose();
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }
}

[CollectionDefinition("redis")]
public sealed class RedisCollection : ICollectionFixture<RedisServer> { }
