using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Viml.Cli.Commands;

/// <summary>Options every catalog verb shares.</summary>
class CatalogSettings : CommandSettings
{
    [CommandOption("-c|--catalog <DIR>")]
    [Description("Catalog folder (catalog.db + index files); created by `catalog add`")]
    public string Catalog { get; init; } = "";

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Catalog) ? ValidationResult.Error("--catalog <DIR> is required") : ValidationResult.Success();
}
