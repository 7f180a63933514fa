using Viml.Features;
using Viml.Tests.Media;

namespace Viml.Tests.Features;

/// <summary>What feature extraction checks before the encoders load.</summary>
public sealed class ExtractionInputsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-extract-inputs-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    public void A_manifest_whose_media_is_all_missing_is_refused_naming_the_first_missing_file()
    {
        string gone = Path.Combine(_dir, "gone.mp4");
        ManifestItem[] items = [new("a", gone), new("b", MediaCorpus.MusicVideo, Audio: Path.Combine(_dir, "gone.wav"))];
        var e = Assert.Throws<InvalidInputException>(() => ExtractionInputs.Check("m.jsonl", items, Path.Combine(_dir, "s"), 6));
        Assert.Equal($"m.jsonl: no item's media exists ({gone}: does not exist, and 1 more)", e.Message);
    }

    [Fact]
    public void Some_missing_media_is_left_to_the_run_which_lists_each_failed_item()
    {
        ManifestItem[] items = [new("a", Path.Combine(_dir, "gone.mp4")), new("b", MediaCorpus.MusicVideo)];
        ExtractionInputs.Check("m.jsonl", items, Path.Combine(_dir, "s"), 6);
        Assert.False(Directory.Exists(Path.Combine(_dir, "s")), "checking creates nothing");
    }

    [Fact]
    public void An_output_that_is_a_file_and_a_store_made_at_another_frame_rate_are_refused()
    {
        ManifestItem[] items = [new("b", MediaCorpus.MusicVideo)];
        string file = Path.Combine(_dir, "taken");
        File.WriteAllText(file, "");
        var e = Assert.Throws<OutputException>(() => ExtractionInputs.Check("m.jsonl", items, file, 6));
        Assert.Contains($"{file}: cannot create the output folder", e.Message);

        string store = Path.Combine(_dir, "store");
        FeatureStore.OpenOrCreate(store, new StoreInfo("resnet18", 512, "musicnn", 600, [], Fps: 1));
        var fps = Assert.Throws<InvalidInputException>(() => ExtractionInputs.Check("m.jsonl", items, store, 6));
        Assert.Contains("made with other settings", fps.Message);
        Assert.Contains("1 fps", fps.Message);
        ExtractionInputs.Check("m.jsonl", items, store, 1);
    }
}
