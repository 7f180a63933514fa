using System.Diagnostics;
using Viml.Diagnostics;

namespace Viml.Tests.Diagnostics;

public class StepClockTests
{
    /// <summary>The CPU time of a step counts the child processes it waited for: a shell that counts to 300,000
    /// spends well over 50 ms of CPU however loaded the machine is. This process's own CPU time (other tests run
    /// beside this one) is taken out by reading it around the step.</summary>
    [Fact]
    public void Cpu_time_counts_a_child_process_the_step_waited_for()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var self = Process.GetCurrentProcess();
        var self0 = self.TotalProcessorTime;
        var clock = new StepClock();
        var before = clock.CpuTime;
        using (var p = Process.Start(new ProcessStartInfo("sh", ["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"])
                   { UseShellExecute = false })!)
            p.WaitForExit();
        var after = clock.CpuTime;
        self.Refresh();
        var selfTime = self.TotalProcessorTime - self0;
        Assert.NotNull(before);
        Assert.NotNull(after);
        var children = after!.Value - before!.Value - selfTime;
        Assert.True(children >= TimeSpan.FromMilliseconds(50), $"step {before} -> {after}, this process {selfTime}");
        Assert.Matches(@"^(\d+:\d\d|\d+\.\d s) wall, (\d+:\d\d|\d+\.\d s) CPU$", clock.ToString());
    }
}
