using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Viml.Cli.Commands;

/// <summary>Options of the catalog verbs that embed with a trained model.</summary>
class ModelCatalogSettings : CatalogSettings
{
    [CommandOption("-m|--model <CHECKPOINT>")]
    [Description("Trained checkpoint folder (config.json + model.safetensors)")]
    public string Model { get; init; } = "";

    /// <summary>False where the verb also works without a trained model (words alone, base music features).</summary>
    protected virtual bool ModelRequired => true;

    public override ValidationResult Validate() =>
        ModelRequired && string.IsNullOrWhiteSpace(Model) ? ValidationResult.Error("--model <CHECKPOINT> is required") : base.Validate();
}
