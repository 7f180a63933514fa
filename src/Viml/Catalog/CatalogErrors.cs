namespace Viml.Catalog;

/// <summary>The catalog's vectors were made by another model than the one given: re-embed it first.</summary>
public sealed class StaleCatalogException : InvalidInputException
{
    public StaleCatalogException(string message) : base(message) { }
}

/// <summary>Another process is writing the catalog (<see cref="CatalogLock"/>): a temporary failure, the same
/// command succeeds when it has finished.</summary>
public sealed class CatalogBusyException : VimlException
{
    public CatalogBusyException(string message, Exception? inner = null) : base(message, inner) { }
}
