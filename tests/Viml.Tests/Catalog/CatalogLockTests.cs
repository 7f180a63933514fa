using Viml.Catalog;

namespace Viml.Tests.Catalog;

public class CatalogLockTests
{
    /// <summary>The lock is the OS's (flock), so a second holder is refused even inside one process, and it is free
    /// again as soon as the first lets go.</summary>
    [Fact]
    public void A_second_writer_is_refused_with_the_holders_pid_until_the_first_lets_go()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("viml-lock-").FullName, "cat");
        try
        {
            using (CatalogLock.Acquire(dir))
            {
                var e = Assert.Throws<CatalogBusyException>(() => CatalogLock.Acquire(dir));
                Assert.Contains($"catalog in use by pid {Environment.ProcessId}", e.Message);
                Assert.Contains(dir, e.Message);
                Assert.Equal(75, Viml.Cli.ExitCodes.For(e));
            }
            using (CatalogLock.Acquire(dir)) { }
        }
        finally { Directory.Delete(Path.GetDirectoryName(dir)!, true); }
    }
}
