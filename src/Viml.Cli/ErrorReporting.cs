using Spectre.Console;

namespace Viml.Cli;

/// <summary>Turns the library's typed errors into one clear line and an exit code.</summary>
static class ErrorReporting
{
    public static int Run(Func<int> body)
    {
        try { return body(); }
        catch (Spectre.Console.Cli.CommandParseException e) { AnsiConsole.MarkupLine($"[red]usage:[/] {Markup.Escape(e.Message)}"); return 64; }
        catch (Spectre.Console.Cli.CommandRuntimeException e) { AnsiConsole.MarkupLine($"[red]usage:[/] {Markup.Escape(e.Message)}"); return 64; }
        catch (VimlException e) { Console.Error.WriteLine($"viml: {e.Message}"); return e.ExitCode; }
        catch (OperationCanceledException) { Console.Error.WriteLine("viml: cancelled"); return 130; }
    }
}
