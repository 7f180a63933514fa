using System.Diagnostics;

namespace Viml.Tests.Cli;

/// <summary>Runs the built <c>viml</c> CLI (Viml.Cli.dll next to the tests) as a separate process.</summary>
static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Viml.Cli.dll");

    public static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "200";   // tables wide enough that names are not wrapped mid-word
        return Process.Start(psi)!;
    }

    static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(20);

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // A guard against a hung process, not a speed check: a catalog add of a few files takes ~80 s on a 2-core
        // machine at load 25, and train-from on a small folder took over 10 min at load 38, so the guard sits far above.
        if (!p.WaitForExit(HangGuard)) { p.Kill(true); throw new TimeoutException($"viml {string.Join(' ', args)} did not finish in {HangGuard.TotalSeconds:0} s"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
