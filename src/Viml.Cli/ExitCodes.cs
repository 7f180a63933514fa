using Viml.Catalog;
using Viml.IO;

namespace Viml.Cli;

/// <summary>
/// The exit code of each kind of error (docs/hostile-input.md). The library throws typed errors; which number
/// a process ends with is the command line's decision, made here and nowhere else.
/// </summary>
static class ExitCodes
{
    public const int ItemsFailed = 1;
    public const int InvalidInput = 2;
    public const int StaleCatalog = 3;
    public const int Usage = 64;
    public const int Internal = 70;
    public const int CannotCreate = 73;
    public const int IoError = 74;
    public const int TryAgain = 75;
    public const int Cancelled = 130;

    public static int For(VimlException e) => e switch
    {
        UsageException => Usage,
        StaleCatalogException => StaleCatalog,
        InvalidInputException => InvalidInput,
        CatalogBusyException => TryAgain,
        NonFiniteValuesException => Internal,
        OutputException o => o.CannotCreate ? CannotCreate : IoError,
        _ => ItemsFailed,
    };
}
