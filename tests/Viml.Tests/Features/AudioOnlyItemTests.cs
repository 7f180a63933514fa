using Viml.Evaluation;
using Viml.Features;
using Viml.Model;
using Viml.Tests.Media;
using Viml.Tests.Model;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Tests.Features;

/// <summary>Items with sound and no picture: extracted as music and texts only, used by MT, left out by video models.</summary>
[Collection(TorchRandom.Name)]
public sealed class AudioOnlyItemTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-audio-only-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    public void An_audio_only_file_is_extracted_with_its_music_and_marked_as_having_no_video()
    {
        // 25 s: 440 Hz for 10 s, 10 s of silence, then 3 kHz; an Ogg Vorbis file, as a music library would hold
        string song = Path.Combine(_dir, "song.ogg");
        MediaCorpus.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=10", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono:d=10",
            "-f", "lavfi", "-i", "sine=frequency=3000:duration=5", "-filter_complex", "[0][1][2]concat=n=3:v=0:a=1", "-c:a", "libvorbis", song);
        var x = new Extractor(new MeanColourEncoder(), new BandRmsEncoder());
        var store = FeatureStore.OpenOrCreate(Path.Combine(_dir, "store"), x.StoreInfo);
        var report = x.Run([new ManifestItem("song", song), new ManifestItem("av", MediaCorpus.MusicVideo)], store);

        Assert.Empty(report.Failures);
        Assert.Equal(2, report.Extracted);
        Assert.Equal(24, report.Frames); // the music video's 4 s at 6 fps, none for the song
        var item = FeatureStore.Open(store.Root).Read("song");
        Assert.False(item.HasVideo);
        Assert.True(store.Read("av").HasVideo);
        Assert.Equal([0.0, 10, 20], item.SegmentStarts);
        Assert.All(item.Video, row => Assert.All(row, v => Assert.Equal(0f, v)));
        int low = store.Info.TagNames.ToList().IndexOf("test:pitch:low"), high = store.Info.TagNames.ToList().IndexOf("test:pitch:high");
        Assert.True(item.Tags[0][low] > 0.9, "the first segment is the 440 Hz tone");
        Assert.True(item.Tags[2][high] > 0.9, "the last segment is the 3 kHz tone");
        Assert.Equal(song, item.Source["audio"]);
    }

    static TrainingData Data(int audioOnlyEvery)
    {
        var data = new SyntheticBenchmark(new SyntheticConfig
        {
            Train = 24, Validation = 8, Test = 4, MinSegments = 2, MaxSegments = 3, VideoDimension = 6, MusicDimension = 5, TextDimension = 8,
        }).ToTrainingData(new SyntheticTextEncoder(8));
        IReadOnlyList<TrainingItem> Mark(IReadOnlyList<TrainingItem> items) =>
            items.Select((it, i) => audioOnlyEvery > 0 && i % audioOnlyEvery == 0
                ? it with { Video = it.Video.Select(r => new float[r.Length]).ToArray(), HasVideo = false } : it).ToList();
        return data with { Train = Mark(data.Train), Validation = Mark(data.Validation), Test = Mark(data.Test) };
    }

    static TrainConfig Config(string output, Variant variant) => new()
    {
        Store = "synthetic", Output = output, BatchSize = 8, Epochs = 1, LearningRate = 1e-3, ValidationPool = 8, Threads = 1,
        Model = new ModelConfig { Variant = variant, Dimension = 16, Heads = 2, FeedForward = 32, FusionHidden = 24 },
    };

    [Fact]
    public void A_video_model_leaves_audio_only_items_out_and_refuses_a_store_of_them_while_MT_trains_on_them()
    {
        var mixed = Data(audioOnlyEvery: 2);
        Assert.Equal(18, mixed.AudioOnly);
        var viml = Trainer.Train(Config(Path.Combine(_dir, "viml"), Variant.Viml), mixed);
        Assert.Equal(18, viml.SkippedAudioOnly);

        using (var model = TrainedModel.Load(viml.BestDir))
        {
            var models = new Dictionary<string, TrainedModel> { ["viml"] = model };
            var report = Evaluator.Evaluate(models, mixed, new Evaluator.Options(PoolSize: 4, Split: "val"));
            Assert.Equal(4, report.Queries); // the 4 validation items with a video, not all 8
        }

        var allAudio = Data(audioOnlyEvery: 1);
        var e = Assert.Throws<InvalidInputException>(() => Trainer.Train(Config(Path.Combine(_dir, "viml2"), Variant.Viml), allAudio));
        Assert.Contains("36 items are audio only (no video stream)", e.Message);
        Assert.Contains("Train MT", e.Message);

        var mt = Trainer.Train(Config(Path.Combine(_dir, "mt"), Variant.Mt), allAudio);
        Assert.Equal(0, mt.SkippedAudioOnly);
        Assert.Single(mt.History);
        Assert.True(File.Exists(Path.Combine(_dir, "mt", "best", "model.safetensors")));
    }
}
