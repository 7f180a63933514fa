using System.Diagnostics;
using Viml.IO;
using Xunit;

namespace Viml.Tests.IO;

public class AtomicFileTests
{
    static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    [Fact]
    public void Write_replaces_the_whole_file_and_leaves_no_temp()
    {
        string dir = Directory.CreateTempSubdirectory("viml-atomic-").FullName;
        try
        {
            string path = Path.Combine(dir, "a.txt");
            AtomicFile.WriteAllText(path, "old");
            AtomicFile.WriteAllText(path, "new");
            Assert.Equal("new", File.ReadAllText(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(dir));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RemoveOrphans_deletes_only_temp_files_of_dead_writers()
    {
        string dir = Directory.CreateTempSubdirectory("viml-atomic-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            string guid = Guid.NewGuid().ToString("N");
            string dead = Path.Combine(dir, "sub", $".model.safetensors.{DeadPid()}.{guid}.tmp");
            string mine = Path.Combine(dir, $".training.png.{Environment.ProcessId}.{guid}.tmp");
            string user = Path.Combine(dir, ".notes.tmp");          // not ours: never touched
            string data = Path.Combine(dir, "keep.bin");
            foreach (var f in new[] { dead, mine, user, data }) File.WriteAllText(f, "x");

            Assert.Equal(0, AtomicFile.RemoveOrphans(dir));          // top level only: the dead one is in sub/
            Assert.Equal(1, AtomicFile.RemoveOrphans(dir, recursive: true));
            Assert.False(File.Exists(dead));
            Assert.True(File.Exists(mine) && File.Exists(user) && File.Exists(data));
            Assert.Equal(0, AtomicFile.RemoveOrphans(Path.Combine(dir, "missing")));
        }
        finally { Directory.Delete(dir, true); }
    }
}

public class SafeTensorsMetadataTests
{
    [Fact]
    public void Metadata_is_read_from_the_header_alone_and_a_damaged_header_is_named()
    {
        string dir = Directory.CreateTempSubdirectory("viml-st-").FullName;
        try
        {
            string path = Path.Combine(dir, "m.safetensors");
            SafeTensors.Save(path, [new NamedTensor("w", [2, 2], [1, 2, 3, 4])], new Dictionary<string, string> { ["video_encoder"] = "resnet18" });
            Assert.Equal("resnet18", SafeTensors.ReadMetadata(path)["video_encoder"]);

            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..12]);                    // header cut short
            var e = Assert.Throws<InvalidInputException>(() => SafeTensors.ReadMetadata(path));
            Assert.Contains(path, e.Message);
            File.WriteAllBytes(path, [1, 2, 3]);                       // not even a length
            Assert.Contains(path, Assert.Throws<InvalidInputException>(() => SafeTensors.ReadMetadata(path)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
