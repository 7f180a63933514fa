using TorchSharp;

namespace Viml.Torch;

/// <summary>One place that initialises libtorch for the process (threads, default dtype).</summary>
public static class TorchRuntime
{
    static int _initialised;

    /// <summary>Loads libtorch and sets intra-op threads (0 = all cores; <see cref="ThreadCount"/> bounds it).</summary>
    public static void Initialise(int threads = 0)
    {
        if (Interlocked.Exchange(ref _initialised, 1) == 0)
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        torch.set_num_threads(ThreadCount.Resolve(threads));
    }
}
