using Viml.Catalog;
using Viml.Tests.Media;

namespace Viml.Tests.Catalog;

/// <summary>What adding to a catalog checks before any model loads.</summary>
public sealed class CatalogAddInputsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-add-inputs-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    string Music()
    {
        string music = Path.Combine(_dir, "music");
        Directory.CreateDirectory(music);
        File.Copy(MediaCorpus.Wav, Path.Combine(music, "tone.wav"), overwrite: true);
        return music;
    }

    [Fact]
    public void A_folder_without_audio_is_refused_naming_the_folder_and_the_extensions_looked_for()
    {
        string empty = Path.Combine(_dir, "notes");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(empty, "readme.txt"), "no music here");
        var e = Assert.Throws<InvalidInputException>(() => CatalogAddInputs.Check([empty], Path.Combine(_dir, "cat")));
        Assert.Contains(empty, e.Message);
        Assert.Contains("no audio files", e.Message);
        Assert.Contains(".flac", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "cat")));
    }

    [Fact]
    public void A_catalog_path_that_is_a_file_or_lies_under_a_file_cannot_be_created()
    {
        string file = Path.Combine(_dir, "taken");
        File.WriteAllText(file, "");
        var direct = Assert.Throws<OutputException>(() => CatalogAddInputs.Check([Music()], file));
        Assert.Contains($"{file}: cannot create the catalog folder (a file of that name is in the way)", direct.Message);
        Assert.Equal(73, Viml.Cli.ExitCodes.For(direct));
        var below = Assert.Throws<OutputException>(() => CatalogAddInputs.Check([Music()], Path.Combine(file, "a", "cat")));
        Assert.Contains($"({file} is a file, not a folder)", below.Message);
    }

    [Fact]
    public void A_damaged_catalog_is_refused_and_a_good_input_gives_its_audio_files()
    {
        string bad = Path.Combine(_dir, "bad");
        Directory.CreateDirectory(bad);
        File.WriteAllBytes(Path.Combine(bad, "catalog.db"), [1, 2, 3, 4, 5, 6, 7, 8]);
        var e = Assert.Throws<InvalidInputException>(() => CatalogAddInputs.Check([Music()], bad));
        Assert.Contains(bad, e.Message);

        var files = CatalogAddInputs.Check([Music()], Path.Combine(_dir, "new", "cat"));
        Assert.Equal([Path.Combine(_dir, "music", "tone.wav")], files);
        Assert.False(Directory.Exists(Path.Combine(_dir, "new")), "checking creates nothing");
    }
}
