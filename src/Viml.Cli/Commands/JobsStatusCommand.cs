using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Jobs;

namespace Viml.Cli.Commands;

sealed class JobsStatusCommand : Command<RedisSettings>
{
    public override int Execute(CommandContext context, RedisSettings s, CancellationToken cancellation)
    {
        using var queue = JobQueue.Connect(s.Redis!, s.Options);
        var (queued, running) = queue.Backlog();
        var dead = queue.DeadLetters();
        AnsiConsole.MarkupLine($"{queued} job(s) in {Markup.Escape(s.Prefix)}:jobs, {running} of them running; {dead.Count} dead-lettered");
        foreach (var d in dead.TakeLast(20))
            AnsiConsole.WriteLine($"  dead {d.Job.Kind} {d.Job.Key} after {d.Deliveries} deliveries: {d.Error}");
        return 0;
    }
}
