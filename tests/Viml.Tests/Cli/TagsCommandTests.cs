using Viml.Tests.Encoders.Musicnn;

namespace Viml.Tests.Cli;

public class TagsCommandTests
{
    [Fact]
    public void Tags_of_a_missing_file_is_an_error_naming_it()
    {
        var (exit, stdout, stderr) = CliProcess.Run("tags", "/nonexistent/song.mp3");
        Assert.NotEqual(0, exit);
        Assert.Contains("/nonexistent/song.mp3", stdout + stderr);
    }

    [Fact]
    [Trait("Category", "E2E")]
    public void Tags_of_a_rendered_rock_piece_show_rock_per_model_and_segment()
    {
        var dir = Directory.CreateTempSubdirectory("viml-tags-");
        try
        {
            string mp3 = Path.Combine(dir.FullName, "rock.mp3");
            Viml.Synthetic.Renderer.RenderMidi(TestPieces.Rock().ToMidi(), mp3);
            var (exit, stdout, stderr) = CliProcess.Run("tags", mp3, "--segments", "--top", "3");
            Assert.True(exit == 0, stdout + stderr);
            foreach (var model in new[] { "msd", "mtt", "jamendo" }) Assert.Contains(model, stdout);
            Assert.Contains("3 segment(s)", stdout); // 26 s: two full segments and a 6-s tail
            Assert.Contains("rock", stdout);
            Assert.Contains("10-20 s", stdout);
        }
        finally { dir.Delete(true); }
    }
}
