using Viml.Evaluation;
using Viml.Features;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Tests.Features;

[Collection(Viml.Tests.Model.TorchRandom.Name)]
public class PackedFeaturesTests
{
    static readonly SyntheticConfig Tiny = new()
    {
        Train = 30, Validation = 8, Test = 6, MinSegments = 1, MaxSegments = 5, VideoDimension = 6, MusicDimension = 5, TextDimension = 8,
    };

    static string TempStore()
    {
        string dir = Path.Combine(Path.GetTempPath(), "viml-packed-" + Guid.NewGuid().ToString("N"));
        new SyntheticBenchmark(Tiny).WriteStore(dir);
        return dir;
    }

    [Fact]
    public void Streamed_items_read_from_the_memory_map_equal_the_stores_items()
    {
        string dir = TempStore();
        try
        {
            var store = FeatureStore.Open(dir);
            using var packed = PackedFeatures.For(store);
            var items = store.ReadAll().ToList();
            Assert.Equal(items.Select(i => i.Id), packed.Ids);
            Assert.Equal(items.Sum(i => (long)i.Segments), packed.Segments);
            for (int k = 0; k < items.Count; k++)
            {
                Assert.Equal(items[k].Video, packed.Video(k));
                Assert.Equal(items[k].Music, packed.Music(k));
                Assert.Equal(items[k].Source["split"], packed.Splits[k]);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Streamed_training_data_has_the_same_splits_items_and_texts_as_the_loaded_data()
    {
        string dir = TempStore();
        try
        {
            using var encoder = new SyntheticTextEncoder(8);
            var loaded = TrainingData.FromStore(dir, "tags", encoder, 0.1, 0.1);
            var (streamed, packed) = StreamedTrainingData.FromStore(dir, "tags", encoder, 0.1, 0.1);
            using var _ = packed;
            Assert.IsType<StreamedItems>(streamed.Train);
            foreach (var (a, b) in new[] { (loaded.Train, streamed.Train), (loaded.Validation, streamed.Validation), (loaded.Test, streamed.Test) })
            {
                Assert.Equal(a.Select(i => i.Id), b.Select(i => i.Id));
                for (int k = 0; k < a.Count; k++)
                {
                    Assert.Equal(a[k].Video, b[k].Video);
                    Assert.Equal(a[k].Music, b[k].Music);
                    Assert.Equal(a[k].Texts, b[k].Texts);
                }
            }
            Assert.Equal(0, streamed.AudioOnly);
            Assert.Equal(streamed.Train.Count, streamed.WithVideoOnly().Train.Count);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Training_on_streamed_data_gives_the_weights_of_training_on_loaded_data()
    {
        string dir = TempStore();
        string a = Path.Combine(dir, "run-loaded"), b = Path.Combine(dir, "run-streamed");
        try
        {
            using var encoder = new SyntheticTextEncoder(8);
            TrainConfig Config(string output) => new()
            {
                Store = dir, Output = output, BatchSize = 8, Epochs = 2, LearningRate = 1e-3, ValidationPool = 8, Seed = 3, Threads = 1,
                Model = new Viml.Model.ModelConfig { Dimension = 16, Heads = 2, FeedForward = 32, FusionHidden = 24 },
            };
            var loaded = Trainer.Train(Config(a), TrainingData.FromStore(dir, "tags", encoder, 0.1, 0.1));
            var (data, packed) = StreamedTrainingData.FromStore(dir, "tags", encoder, 0.1, 0.1);
            using var _ = packed;
            var streamed = Trainer.Train(Config(b) with { Stream = true }, data);
            Assert.Equal(loaded.History.Select(h => h.Loss), streamed.History.Select(h => h.Loss));
            var wa = Viml.IO.SafeTensors.Load(Path.Combine(a, "last", "model.safetensors")).Tensors;
            var wb = Viml.IO.SafeTensors.Load(Path.Combine(b, "last", "model.safetensors")).Tensors;
            foreach (var k in wa.Keys) Assert.Equal(wa[k].Data, wb[k].Data);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_pack_is_rebuilt_when_an_item_file_changes_and_reused_otherwise()
    {
        string dir = TempStore();
        try
        {
            var store = FeatureStore.Open(dir);
            string path = Path.Combine(dir, PackedFeatures.FileName);
            using (PackedFeatures.For(store)) { }
            var first = File.GetLastWriteTimeUtc(path);
            using (PackedFeatures.For(store)) { }
            Assert.Equal(first, File.GetLastWriteTimeUtc(path));

            var item = store.ReadAll().First();
            var changed = item with { Video = item.Video.Select(r => r.Select(x => x + 1).ToArray()).ToArray() };
            store.Write(changed);
            File.SetLastWriteTimeUtc(Directory.EnumerateFiles(Path.Combine(dir, "items")).Order(StringComparer.Ordinal).First(), first.AddMinutes(1));
            using var packed = PackedFeatures.For(store);
            Assert.Equal(changed.Video, packed.Video(0));
            Assert.Empty(Directory.EnumerateFiles(dir, "*.tmp"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_damaged_pack_is_refused_naming_the_file()
    {
        string dir = TempStore();
        try
        {
            string path = Path.Combine(dir, PackedFeatures.FileName);
            File.WriteAllBytes(path, new byte[] { 200, 0, 0, 0, 0, 0, 0, 0, (byte)'{' });
            var e = Assert.Throws<InvalidInputException>(() => PackedFeatures.Open(path));
            Assert.Contains(path, e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
