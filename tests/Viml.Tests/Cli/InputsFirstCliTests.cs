using Viml.Tests.Media;

namespace Viml.Tests.Cli;

/// <summary>catalog add, features and tags report a wrong input with its name and the problem, and leave nothing behind.</summary>
public sealed class InputsFirstCliTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-inputs-first-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    public void Catalog_add_of_a_folder_without_audio_names_it_and_creates_no_catalog()
    {
        string notes = Path.Combine(_dir, "notes");
        Directory.CreateDirectory(notes);
        string catalog = Path.Combine(_dir, "cat");
        var (exit, stdout, stderr) = CliProcess.Run("catalog", "add", notes, "--catalog", catalog);
        Assert.True(exit == 2, stdout + stderr);
        Assert.Contains($"{notes}: no audio files there", stderr);
        Assert.False(Directory.Exists(catalog));
    }

    [Fact]
    public void Catalog_add_with_a_missing_checkpoint_names_it_and_creates_no_catalog()
    {
        string catalog = Path.Combine(_dir, "cat");
        var (exit, stdout, stderr) = CliProcess.Run("catalog", "add", MediaCorpus.Wav, "--catalog", catalog, "--model", Path.Combine(_dir, "none"));
        Assert.True(exit == 2, stdout + stderr);
        Assert.Contains("no such checkpoint folder", stderr);
        Assert.False(Directory.Exists(catalog));
    }

    [Fact]
    public void Features_of_a_manifest_whose_media_is_missing_names_the_file_and_creates_no_store()
    {
        string manifest = Path.Combine(_dir, "m.jsonl");
        File.WriteAllText(manifest, """{"id": "a", "video": "gone/clip.mp4"}""" + "\n");
        string store = Path.Combine(_dir, "store");
        var (exit, stdout, stderr) = CliProcess.Run("features", manifest, "--out", store);
        Assert.True(exit == 2, stdout + stderr);
        Assert.Contains($"no item's media exists ({Path.Combine(_dir, "gone", "clip.mp4")}: does not exist)", stderr);
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public void Features_into_a_path_that_is_a_file_cannot_create_the_store()
    {
        string manifest = Path.Combine(_dir, "m.jsonl");
        File.WriteAllText(manifest, $$"""{"id": "a", "video": "{{MediaCorpus.MusicVideo}}"}""" + "\n");
        string file = Path.Combine(_dir, "taken");
        File.WriteAllText(file, "");
        var (exit, stdout, stderr) = CliProcess.Run("features", manifest, "--out", file);
        Assert.True(exit == 73, stdout + stderr);
        Assert.Contains($"{file}: cannot create the output folder", stderr);
    }

    [Fact]
    public void Tags_of_a_video_without_sound_says_so()
    {
        var (exit, stdout, stderr) = CliProcess.Run("tags", MediaCorpus.VideoOnly);
        Assert.True(exit == 2, stdout + stderr);
        Assert.Contains("no audio stream", stderr);
    }
}
