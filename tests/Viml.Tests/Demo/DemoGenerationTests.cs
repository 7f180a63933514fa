using Viml.Demo;
using Viml.Synthetic;

namespace Viml.Tests.Demo;

public class DemoGenerationTests
{
    [Fact]
    public void Midi_file_has_header_and_track_and_is_deterministic()
    {
        var a = DemoMusic.Compose(DemoMusic.Style("folk"), seed: 3, seconds: 10);
        var b = DemoMusic.Compose(DemoMusic.Style("folk"), seed: 3, seconds: 10);
        var c = DemoMusic.Compose(DemoMusic.Style("folk"), seed: 4, seconds: 10);
        Assert.Equal("MThd", System.Text.Encoding.ASCII.GetString(a, 0, 4));
        Assert.Equal("MTrk", System.Text.Encoding.ASCII.GetString(a, 14, 4));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("rock")]
    [InlineData("piano-ballad")]
    public void Every_style_renders_to_audio_of_about_the_asked_length(string style)
    {
        string dir = Directory.CreateTempSubdirectory("viml-demo-").FullName;
        try
        {
            string wav = Path.Combine(dir, "a.wav");
            Renderer.RenderMidi(DemoMusic.Compose(DemoMusic.Style(style), 1, 8), wav, seconds: 8);
            // 44.1 kHz stereo 16-bit: 8 s of audio (the piece fills it; the release tail is cut)
            double seconds = (new FileInfo(wav).Length - 44) / (44100.0 * 4);
            Assert.InRange(seconds, 7.9, 8.1);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Every_video_look_renders_and_each_look_is_shared_by_two_styles()
    {
        string dir = Directory.CreateTempSubdirectory("viml-demo-").FullName;
        try
        {
            foreach (var look in DemoVideo.Looks)
            {
                string mp4 = Path.Combine(dir, look + ".mp4");
                Renderer.RenderVideo(DemoVideo.Filter(look, 1, 2, 64, 48), mp4);
                Assert.True(new FileInfo(mp4).Length > 500, look);
                Assert.Equal(2, DemoMusic.Styles.Count(s => DemoVideo.LookOf[s.Name] == look));
            }
            Assert.Throws<InvalidInputException>(() => DemoVideo.Filter("folk", 1, 2));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_folder_of_older_or_other_demo_material_is_refused_not_mixed()
    {
        string dir = Directory.CreateTempSubdirectory("viml-demo-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "train"));              // an older demo: no stamp
            var e = Assert.Throws<InvalidInputException>(() => DemoMaterial.Generate(dir));
            Assert.Contains(dir, e.Message);
            Assert.Contains("older version", e.Message);
            File.WriteAllText(Path.Combine(dir, "demo.json"), "{\"material\": 1}");
            e = Assert.Throws<InvalidInputException>(() => DemoMaterial.Generate(dir));
            Assert.Contains("version 1", e.Message);
            File.WriteAllText(Path.Combine(dir, "demo.json"), "{ not json");
            e = Assert.Throws<InvalidInputException>(() => DemoMaterial.Generate(dir));
            Assert.Contains("unreadable", e.Message);
            Assert.Empty(Directory.GetFiles(Path.Combine(dir, "train"), "*", SearchOption.AllDirectories));   // nothing generated
        }
        finally { Directory.Delete(dir, true); }
    }
}
