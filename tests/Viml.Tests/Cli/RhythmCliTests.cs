using System.Text.Json;
using Viml.Tests.Catalog;
using Viml.Tests.Rhythm;

namespace Viml.Tests.Cli;

public class RhythmCliTests
{
    static string ClickFile(string dir, double bpm, double seconds)
    {
        string raw = Path.Combine(dir, "c.f32"), wav = Path.Combine(dir, $"clicks-{bpm}.wav");
        File.WriteAllBytes(raw, System.Runtime.InteropServices.MemoryMarshal.AsBytes(Clicks.Render(Clicks.Times(bpm, seconds), seconds).AsSpan()).ToArray());
        TestParts.Ffmpeg("-f", "f32le", "-ar", Clicks.Rate.ToString(), "-ac", "1", "-i", raw, wav);
        File.Delete(raw);
        return wav;
    }

    [Fact]
    public void Tempo_prints_bpm_beats_and_bars_as_json_and_names_a_missing_file()
    {
        var dir = Directory.CreateTempSubdirectory("viml-tempo-").FullName;
        try
        {
            var (exit, stdout, stderr) = CliProcess.Run("tempo", ClickFile(dir, 100, 12), "--json");
            Assert.True(exit == 0, stderr);
            using var doc = JsonDocument.Parse(stdout);
            Assert.InRange(doc.RootElement.GetProperty("bpm").GetDouble(), 98, 102);
            Assert.InRange(doc.RootElement.GetProperty("beats").GetArrayLength(), 18, 20);
            Assert.InRange(doc.RootElement.GetProperty("downbeats").GetArrayLength(), 4, 5);
            var (exit2, _, err2) = CliProcess.Run("tempo", Path.Combine(dir, "nope.wav"));
            Assert.Equal(2, exit2);
            Assert.Contains("nope.wav", err2);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Render_writes_the_video_with_the_music_and_refuses_a_track_id_without_a_catalog()
    {
        var dir = Directory.CreateTempSubdirectory("viml-render-").FullName;
        try
        {
            string music = ClickFile(dir, 120, 12), video = TestParts.Video(Path.Combine(dir, "clip.mp4"), 5), output = Path.Combine(dir, "out.mkv");
            var (exit, stdout, stderr) = CliProcess.Run("render", video, "--track", music, "--start", "2.5", "--out", output);
            Assert.True(exit == 0, stderr);
            Assert.Contains("0:02.50", stdout);
            var info = Viml.Media.MediaProbe.Probe(output);
            Assert.InRange(info.Duration, 4.9, 5.1);
            Assert.NotNull(info.Audio);
            var (exit2, _, err2) = CliProcess.Run("render", video, "--track", "7");
            Assert.Equal(2, exit2);
            Assert.Contains("--catalog", err2);
        }
        finally { Directory.Delete(dir, true); }
    }
}
