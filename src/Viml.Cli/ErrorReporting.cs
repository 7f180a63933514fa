using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Viml.Cli;

/// <summary>
/// Turns every error into one clear line on stderr and an exit code (docs/hostile-input.md): 1 some items
/// failed, 2 invalid input or configuration, 3 stale catalog, 64 usage, 70 internal error, 73 cannot create
/// an output, 74 cannot write an output (disk full, I/O), 130 cancelled. Set VIML_DEBUG=1
/// to also print the stack trace of an internal error.
/// </summary>
static class ErrorReporting
{
    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (Spectre.Console.Cli.CommandParseException e) { AnsiConsole.MarkupLine($"[red]usage:[/] {Markup.Escape(e.Message)}"); return 64; }
        catch (Spectre.Console.Cli.CommandRuntimeException e) { AnsiConsole.MarkupLine($"[red]usage:[/] {Markup.Escape(e.Message)}"); return 64; }
        catch (VimlException e) { Console.Error.WriteLine($"viml: {TerminalText.Safe(e.Message)}"); return e.ExitCode; }
        catch (OperationCanceledException) { Console.Error.WriteLine("viml: cancelled"); return 130; }
        // SQLITE_FULL, SQLITE_IOERR: writing failed; SQLITE_READONLY, SQLITE_CANTOPEN: cannot create or open for writing.
        catch (SqliteException e) when (e.SqliteErrorCode is 13 or 10 or 8 or 14)
        {
            Console.Error.WriteLine($"viml: {Option("--catalog", "-c") ?? "the catalog"}: cannot write the catalog database ({TerminalText.Safe(e.Message)})");
            return e.SqliteErrorCode is 13 or 10 ? 74 : 73;
        }
        catch (UnauthorizedAccessException e) { Console.Error.WriteLine($"viml: {TerminalText.Safe(e.Message)}"); return 73; }
        catch (IOException e) { Console.Error.WriteLine($"viml: {TerminalText.Safe(e.Message)}"); return e.HResult == 30 ? 73 : 74; }
        catch (Exception e)
        {
            Console.Error.WriteLine($"viml: internal error ({e.GetType().Name}: {TerminalText.Safe(e.Message.Split('\n')[0].Trim())}); set VIML_DEBUG=1 for details");
            if (Environment.GetEnvironmentVariable("VIML_DEBUG") is "1") Console.Error.WriteLine(e);
            return 70;
        }
    }

    /// <summary>The value of a command-line option, to name the input an error is about.</summary>
    static string? Option(params string[] names)
    {
        var args = Environment.GetCommandLineArgs();
        for (int i = 0; i < args.Length - 1; i++) if (names.Contains(args[i])) return args[i + 1];
        return null;
    }
}
