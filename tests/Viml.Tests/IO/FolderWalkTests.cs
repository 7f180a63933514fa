using Viml.Catalog;
using Viml.IO;

namespace Viml.Tests.IO;

public class FolderWalkTests
{
    /// <summary>The hostile-use case: 12 files and <c>sub/up -&gt; ..</c> gave "697 audio files" before each real
    /// folder was visited once.</summary>
    [Fact]
    public void A_symlink_loop_and_two_links_to_one_folder_list_each_file_once_under_its_shortest_path()
    {
        var root = Directory.CreateTempSubdirectory("viml-walk-").FullName;
        var outside = Directory.CreateTempSubdirectory("viml-walk-out-").FullName;
        try
        {
            string music = Path.Combine(root, "music");
            for (int i = 0; i < 12; i++)
            {
                string dir = Path.Combine(music, i < 6 ? "" : "sub");
                Directory.CreateDirectory(dir);
                File.WriteAllBytes(Path.Combine(dir, $"t{i:00}.mp3"), [1]);
            }
            Directory.CreateSymbolicLink(Path.Combine(music, "sub", "up"), "..");          // a loop
            Directory.CreateSymbolicLink(Path.Combine(music, "sub", "self"), ".");          // another
            File.WriteAllBytes(Path.Combine(outside, "far.mp3"), [1]);
            Directory.CreateSymbolicLink(Path.Combine(music, "a-link"), outside);           // two links to one folder
            Directory.CreateSymbolicLink(Path.Combine(music, "sub", "b-link"), outside);
            Directory.CreateSymbolicLink(Path.Combine(music, "dangling"), Path.Combine(root, "gone"));

            var files = CatalogIngest.FindAudio([music]);
            Assert.Equal(13, files.Count);
            Assert.Equal(files.Count, files.Select(Path.GetFileName).Distinct().Count());
            Assert.DoesNotContain(files, f => f.Contains("/up/") || f.Contains("/self/"));
            Assert.Contains(Path.Combine(music, "a-link", "far.mp3"), files);          // the shorter path of the two
            Assert.Equal(FolderWalk.Files(music).Order(StringComparer.Ordinal), FolderWalk.Files(music).Order(StringComparer.Ordinal));
        }
        finally { Directory.Delete(root, true); Directory.Delete(outside, true); }
    }
}
