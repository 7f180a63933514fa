using System.Runtime.InteropServices;

namespace Viml.Cli;

/// <summary>
/// While alive, Ctrl+C cancels <see cref="Token"/> instead of ending the process: the work in hand stops at
/// its next check and keeps what it finished. With <c>orSigterm</c>, SIGTERM does the same (a worker
/// stopped by a service manager finishes its bookkeeping the same way).
/// </summary>
sealed class CtrlC : IDisposable
{
    readonly CancellationTokenSource _stop;
    readonly ConsoleCancelEventHandler _onCtrlC;
    readonly PosixSignalRegistration? _onSigterm;

    public CtrlC(CancellationToken outer, bool orSigterm = false)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _onCtrlC = (_, e) => { e.Cancel = true; _stop.Cancel(); };
        Console.CancelKeyPress += _onCtrlC;
        if (orSigterm)
            _onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; _stop.Cancel(); });
    }

    /// <summary>Cancelled by Ctrl+C (or SIGTERM) or by the token given.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _onSigterm?.Dispose();
        Console.CancelKeyPress -= _onCtrlC;
        _stop.Dispose();
    }
}
