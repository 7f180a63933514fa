using Viml.Tests.Catalog;
using Viml.Tests.Hostile;
using Viml.Tests.Rhythm;

namespace Viml.Tests.Cli;

public class RecommendRenderE2ETests
{
    [Fact]
    [Trait("Category", "E2E")]
    public void Catalog_add_then_recommend_shows_tempo_and_start_and_renders_the_first_result()
    {
        var dir = Directory.CreateTempSubdirectory("viml-rec-render-").FullName;
        try
        {
            var music = Directory.CreateDirectory(Path.Combine(dir, "music")).FullName;
            foreach (var bpm in new[] { 90.0, 140.0 })
            {
                string raw = Path.Combine(dir, $"{bpm}.f32");
                File.WriteAllBytes(raw, System.Runtime.InteropServices.MemoryMarshal.AsBytes(Clicks.Render(Clicks.Times(bpm, 14), 14).AsSpan()).ToArray());
                TestParts.Ffmpeg("-f", "f32le", "-ar", Clicks.Rate.ToString(), "-ac", "1", "-i", raw, Path.Combine(music, $"clicks-{bpm}.flac"));
            }
            string catalog = Path.Combine(dir, "catalog"), video = TestParts.Video(Path.Combine(dir, "clip.mp4"), 6), output = Path.Combine(dir, "out.mp4");
            var add = CliProcess.Run("catalog", "add", music, "--catalog", catalog, "--model", HostileWorld.Checkpoint);
            Assert.True(add.Exit == 0, add.Err + add.Out);
            var list = CliProcess.Run("catalog", "list", "--catalog", catalog);
            Assert.Contains("90", list.Out);
            Assert.Contains("140", list.Out);

            var rec = CliProcess.Run("recommend", video, "--catalog", catalog, "--model", HostileWorld.Checkpoint, "--top", "2",
                "--bpm-min", "120", "--render", "1", "--out", output, "--all-kinds");   // click tracks are not music
            Assert.True(rec.Exit == 0, rec.Err + rec.Out);
            Assert.Contains("clicks-140", rec.Out);
            Assert.DoesNotContain("clicks-90", rec.Out);
            Assert.Matches(@"\d:\d\d\.\d\d", rec.Out);
            Assert.Contains("wrote", rec.Out);
            var info = Viml.Media.MediaProbe.Probe(output);
            Assert.InRange(info.Duration, 5.9, 6.1);
            Assert.NotNull(info.Audio);
        }
        finally { Directory.Delete(dir, true); }
    }
}
