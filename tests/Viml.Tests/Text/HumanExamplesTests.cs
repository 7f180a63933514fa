using Viml.Text;

namespace Viml.Tests.Text;

public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("viml-text-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}

public class HumanExamplesTests
{
    [Fact]
    public void MusicCaps_aspects_map_to_the_vocabulary_in_order()
    {
        var mc = HumanExamples.LoadMusicCaps(HumanExamples.MusicCapsPath);
        Assert.InRange(mc.Examples.Count, 5000, 5521);
        Assert.InRange(mc.Examples.Count(e => e.HeldOut), 2000, 3500);
        var first = mc.Examples.Single(e => e.Id == "musiccaps:-0Gj8-vB1q4");
        // ['low quality', 'sustained strings melody', 'soft female vocal', 'mellow piano melody', 'sad', 'soulful', 'ballad']
        Assert.Equal(new[] { "strings", "soft", "female vocals", "mellow", "piano", "sad" }, first.Tags.Attributes.Select(a => a.Name));
        Assert.Equal(0.9f, first.Tags.Tags[0].Confidence, 3);
        Assert.StartsWith("The low quality recording features a ballad", first.Text);
    }

    [Fact]
    public void MusicTextClips_tags_come_from_the_text()
    {
        var yt = HumanExamples.LoadMusicTextClips(HumanExamples.MusicTextClipsPath);
        Assert.InRange(yt.Examples.Count, 950, 1000);
        var e = yt.Examples.First(x => x.Id.StartsWith("yt8m-musictextclips:w9nBloqeGcI", StringComparison.Ordinal));
        // "Rock n roll 80's music ideal for concert accompanied by male vocal,guitar,drum and bass."
        Assert.Equal(new[] { "rock", "male vocals", "guitar", "drums", "bass" }, e.Tags.Attributes.Select(a => a.Name));
        Assert.All(yt.Examples, x => Assert.False(x.HeldOut));
    }

    [Fact]
    public void Non_English_examples_are_left_out_and_counted()
    {
        using var d = new TempDir();
        System.IO.File.WriteAllText(d.File("x.csv"),
            "video_id,start,end,text\n" +
            "a,0,10,Upbeat rock song with electric guitar and drums.\n" +
            "b,0,10,\"Une chanson rock avec guitare électrique, batterie et voix d'homme.\"\n" +
            "c,0,10,带有电吉他和鼓的摇滚歌曲\n" +
            "d,0,10,\"Canción de rock con guitarra, batería y piano.\"\n" +
            "e,0,10,Nothing to say about this one.\n");
        var r = HumanExamples.LoadMusicTextClips(d.File("x.csv"));
        Assert.Equal(new[] { "yt8m-musictextclips:a:0" }, r.Examples.Select(e => e.Id));
        Assert.Equal(3, r.NotEnglish);
        Assert.Equal(1, r.NoTags);
    }

    [Theory]
    [InlineData("Upbeat pop with a female vocalist.", true)]
    [InlineData("Rock song", true)]
    [InlineData("Musique électronique pour danser avec des synthés", false)]
    [InlineData("Электронная музыка", false)]
    [InlineData("", false)]
    public void LooksEnglish_tells_English_from_other_languages(string text, bool english) => Assert.Equal(english, HumanExamples.LooksEnglish(text));

    [Fact]
    public void A_file_without_the_columns_is_refused_by_name()
    {
        using var d = new TempDir();
        System.IO.File.WriteAllText(d.File("bad.csv"), "a,b\n1,2\n");
        var e = Assert.Throws<InvalidInputException>(() => HumanExamples.LoadMusicCaps(d.File("bad.csv")));
        Assert.Contains("bad.csv", e.Message);
        Assert.Contains("ytid", e.Message);
        Assert.Contains("not found", Assert.Throws<InvalidInputException>(() => HumanExamples.LoadMusicTextClips(d.File("none.csv"))).Message);
        System.IO.File.WriteAllText(d.File("open.csv"), "video_id,start,end,text\na,0,10,\"never closed\n");
        Assert.Contains("unterminated", Assert.Throws<InvalidInputException>(() => HumanExamples.LoadMusicTextClips(d.File("open.csv"))).Message);
    }
}
