using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Viml.Cli;

/// <summary>
/// Turns every error into one clear line on stderr and an exit code (<see cref="ExitCodes"/>,
/// docs/hostile-input.md): 1 some items failed, 2 invalid input or configuration, 3 stale catalog, 64 usage,
/// 70 internal error, 73 cannot create an output, 74 cannot write an output (disk full, I/O), 75 try again
/// later, 130 cancelled. Set VIML_DEBUG=1 to also print the stack trace of an internal error.
/// </summary>
static class ErrorReporting
{
    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (Spectre.Console.Cli.CommandParseException e) { return Usage(e.Message); }
        catch (Spectre.Console.Cli.CommandRuntimeException e) { return Usage(e.Message); }
        catch (VimlException e) { return Report(e.Message, ExitCodes.For(e)); }
        catch (OperationCanceledException) { return Report("cancelled", ExitCodes.Cancelled); }
        // The catalog names its folder in the write errors of its own tables; this is the net under the rest.
        // SQLITE_FULL, SQLITE_IOERR: writing failed; SQLITE_READONLY, SQLITE_CANTOPEN: cannot create or open it.
        catch (SqliteException e) when (e.SqliteErrorCode is 13 or 10 or 8 or 14)
        {
            int code = e.SqliteErrorCode is 13 or 10 ? ExitCodes.IoError : ExitCodes.CannotCreate;
            return Report($"cannot write a database ({e.Message})", code);
        }
        catch (UnauthorizedAccessException e) { return Report(e.Message, ExitCodes.CannotCreate); }
        // On Linux .NET puts errno in HResult: EROFS = 30.
        catch (IOException e) { return Report(e.Message, e.HResult == 30 ? ExitCodes.CannotCreate : ExitCodes.IoError); }
        catch (Exception e)
        {
            string first = e.Message.Split('\n')[0].Trim();
            Report($"internal error ({e.GetType().Name}: {first}); set VIML_DEBUG=1 for details", ExitCodes.Internal);
            if (Environment.GetEnvironmentVariable("VIML_DEBUG") is "1") Console.Error.WriteLine(e);
            return ExitCodes.Internal;
        }
    }

    static int Usage(string message)
    {
        AnsiConsole.MarkupLine($"[red]usage:[/] {Markup.Escape(message)}");
        return ExitCodes.Usage;
    }

    static int Report(string message, int exitCode)
    {
        Console.Error.WriteLine($"viml: {TerminalText.Safe(message)}");
        return exitCode;
    }
}
