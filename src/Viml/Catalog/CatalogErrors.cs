namespace Viml.Catalog;

/// <summary>The catalog's vectors were made by another model than the one given: re-embed it first.</summary>
public sealed class StaleCatalogException : InvalidInputException
{
    public StaleCatalogException(string message) : base(message) { }
    public override int ExitCode => 3;
}
