namespace Viml.Catalog;

/// <summary>The catalog's vectors were made by another model than the one given: re-embed it first.</summary>
public sealed class StaleCatalogException : InvalidInputException
{
    public StaleCatalogException(string message) : base(message) { }
    public override int ExitCode => 3;
}

/// <summary>Another process is writing the catalog (<see cref="CatalogLock"/>): try again when it has finished.</summary>
public sealed class CatalogBusyException : VimlException
{
    public CatalogBusyException(string message, Exception? inner = null) : base(message, inner) { }
    /// <summary>EX_TEMPFAIL: a temporary failure, the same command later succeeds.</summary>
    public override int ExitCode => 75;
}
