namespace Viml.Tests.Torch;

/// <summary>
/// Load beside native work, for as long as it is held: <paramref name="hogs"/> threads spinning on the CPU and
/// one thread churning allocations and forcing full collections with finalizers, so that any Scalar or
/// tensor wrapper left unreachable while libtorch still reads it gets finalized mid-call. Bounded: every
/// thread stops on dispose (or after <paramref name="limit"/>), and is joined.
/// </summary>
sealed class NativePressure : IDisposable
{
    readonly CancellationTokenSource _stop;
    readonly List<Thread> _threads = [];
    long _collections;

    public long Collections => Interlocked.Read(ref _collections);

    public NativePressure(int hogs, TimeSpan? limit = null)
    {
        _stop = new CancellationTokenSource(limit ?? TimeSpan.FromMinutes(5));
        var token = _stop.Token;
        for (int i = 0; i < hogs; i++)
            Start(() =>
            {
                double x = 1;
                while (!token.IsCancellationRequested)
                    for (int k = 0; k < 100_000; k++) x = Math.Sqrt(x + k);
            }, $"cpu hog {i}");
        Start(() =>
        {
            var keep = new object[64];
            int n = 0;
            while (!token.IsCancellationRequested)
            {
                for (int k = 0; k < 256; k++) keep[n++ % keep.Length] = new byte[1024 + k * 64];
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref _collections);
            }
        }, "gc churn");
    }

    void Start(ThreadStart body, string name)
    {
        var t = new Thread(body) { IsBackground = true, Name = name };
        _threads.Add(t);
        t.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var t in _threads) t.Join();
        _stop.Dispose();
    }
}
