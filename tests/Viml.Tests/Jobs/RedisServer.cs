using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Viml.Tests.Jobs;

/// <summary>
/// A real redis-server for the tests: loopback only, a free port, a temporary folder, no persistence;
/// started once for the collection and stopped (by its process id) at the end.
/// </summary>
public sealed class RedisServer : IDisposable
{
    Process process;
    readonly string dir = Directory.CreateTempSubdirectory("viml-redis-").FullName;
    public int Port { get; }
    public string Url => $"redis://127.0.0.1:{Port}";
    public ConnectionMultiplexer Connection { get; }

    public RedisServer()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        Port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        process = Launch();
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

    Process Launch()
    {
        string exe = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes" })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start redis-server (install the Debian package redis-server)");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>SIGKILL: the server and everything it held are gone (no persistence).</summary>
    public void Kill()
    {
        try { process.Kill(); process.WaitForExit(5000); } catch (InvalidOperationException) { }
    }

    /// <summary>Starts an empty server again on the same port (after <see cref="Kill"/>) and waits until it answers.</summary>
    public void Restart()
    {
        process.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            process = Launch();
            for (int i = 0; i < 100 && !process.HasExited; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, Port);
                    return;
                }
                catch (SocketException) { Thread.Sleep(50); }
            }
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"redis-server did not start again on port {Port}");
            Kill();
            process.Dispose();
        }
    }

    public void Dispose()
    {
        Connection.Dispose();
        Kill();
        process.Dispose();
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }
}

[CollectionDefinition("redis")]
public sealed class RedisCollection : ICollectionFixture<RedisServer> { }
