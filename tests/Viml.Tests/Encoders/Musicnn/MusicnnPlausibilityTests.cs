using Viml.Encoders;
using Viml.Synthetic;
using Xunit.Abstractions;

namespace Viml.Tests.Encoders.Musicnn;

/// <summary>Tags of rendered General MIDI pieces are plausible (loose properties that hold; top tags printed).</summary>
[Trait("Category", "E2E")]
public class MusicnnPlausibilityTests(MusicnnEncoderFixture fixture, ITestOutputHelper output) : IClassFixture<MusicnnEncoderFixture>
{
    /// <summary>The piece's tag confidences (mean over its 10-s segments) and the top-k names per model.</summary>
    Dictionary<string, List<string>> TopTags(string name, MidiPiece piece, int k = 5) => TopTags(name, piece.ToMidi(), k);

    Dictionary<string, List<string>> TopTags(string name, byte[] midi, int k = 5)
    {
        var dir = Directory.CreateTempSubdirectory("viml-music-");
        try
        {
            var pcm = MidiPiece.RenderMidi(midi, dir.FullName, name);
            var encoder = fixture.Encoder;
            var segments = Enumerable.Range(0, Math.Max(1, pcm.Length / 160000))
                .Select(s => pcm.AsSpan(s * 160000, Math.Min(160000, pcm.Length - s * 160000)).ToArray()).ToList();
            var features = encoder.Embed(segments);
            var mean = Enumerable.Range(0, encoder.Tags.Count).Select(t => features.Average(f => f.Tags[t])).ToArray();
            var top = new Dictionary<string, List<string>>();
            output.WriteLine($"{name}: {pcm.Length / 16000.0:f1} s, {segments.Count} segment(s)");
            foreach (var model in new[] { "msd", "mtt", "jamendo" })
            {
                var ranked = Enumerable.Range(0, encoder.Tags.Count).Where(t => encoder.Tags[t].Model == model)
                    .OrderByDescending(t => mean[t]).Take(k).ToList();
                top[model] = ranked.Select(t => encoder.Tags[t].Name).ToList();
                output.WriteLine($"  {model,-8} " + string.Join(", ", ranked.Select(t => $"{encoder.Tags[t].Name} {mean[t]:f2}")));
            }
            return top;
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Piano_piece_is_tagged_piano()
    {
        var top = TopTags("piano", TestPieces.Piano());
        Assert.Contains("piano", top["mtt"].Take(3));
        Assert.Contains("piano", top["jamendo"]);
    }

    [Fact]
    public void Rock_piece_is_tagged_rock_and_guitar()
    {
        var top = TopTags("rock", TestPieces.Rock());
        Assert.Contains("rock", top["mtt"].Take(3));
        Assert.Contains("guitar", top["mtt"]);
        Assert.Contains("rock", top["jamendo"].Take(3));
        Assert.Contains("rock", top["msd"]);
    }

    [Fact]
    public void Strings_piece_is_tagged_strings_and_classical()
    {
        var top = TopTags("strings", TestPieces.Strings());
        Assert.Contains("strings", top["mtt"]);
        Assert.Contains("violin", top["mtt"]);
        Assert.Contains("classical", top["jamendo"].Take(3));
    }

    [Fact]
    public void Techno_piece_is_tagged_techno_and_electronic()
    {
        var top = TopTags("techno", TestPieces.Techno());
        Assert.Contains("techno", top["mtt"].Take(3));
        Assert.Contains("electronic", top["msd"].Take(3));
        Assert.Contains("electronic", top["jamendo"].Take(3));
    }

    /// <summary>The demo's generated styles: printed for the docs; each gets a tag that fits its style.</summary>
    [Theory]
    [InlineData("piano-ballad", "piano")]
    [InlineData("rock", "rock")]
    [InlineData("techno", "electronic")]
    [InlineData("strings", "strings")]
    [InlineData("folk", "guitar")]
    [InlineData("jazz", "jazz")]
    public void Demo_styles_get_a_fitting_tag(string style, string expected)
    {
        var top = TopTags("demo-" + style, DemoMusic.Compose(DemoMusic.Style(style), seed: 1, seconds: 20), k: 8);
        Assert.Contains(expected, top["msd"].Concat(top["mtt"]).Concat(top["jamendo"]));
    }
}
