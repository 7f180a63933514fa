using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Viml.Jobs;

namespace Viml.Cli.Commands;

sealed class JobsChecksumCommand : Command<JobsChecksumCommand.Settings>
{
    public sealed class Settings : RedisSettings
    {
        [CommandArgument(0, "<files>"), Description("Files to checksum on the workers")]
        public string[] Files { get; init; } = [];

        [CommandOption("--out <DIR>"), Description("Folder for the .sha256 results (must be visible to the workers)")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out <DIR> is required") : base.Validate();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellation)
    {
        foreach (var f in s.Files) if (!File.Exists(f)) throw new InvalidInputException($"{f}: no such file");
        return RemoteJobs.EnqueueAndWait(s.Redis!, s.Options, s.Files.Select(f => ChecksumJob.Create(f, s.Out!)), "checksum", cancellation);
    }
}
