using Viml.Evaluation;
using Viml.Training;
using Viml.Encoders;

namespace Viml.Tests.Training;

public class TrainingDataTests
{
    sealed class CountingEncoder : Viml.Encoders.ITextEncoder
    {
        readonly SyntheticTextEncoder inner = new(8);
        public int Calls;
        public string Name => inner.Name;
        public int Dimension => inner.Dimension;
        public float[][] Embed(IReadOnlyList<string> texts) { Calls++; return inner.Embed(texts); }
        public void Dispose() { }
    }

    [Fact]
    public void A_store_and_its_texts_load_with_splits_and_the_text_embeddings_are_cached()
    {
        string dir = Path.Combine(Path.GetTempPath(), "viml-store-" + Guid.NewGuid().ToString("N"));
        try
        {
            var bench = new SyntheticBenchmark(new SyntheticConfig { Train = 10, Validation = 4, Test = 3, VideoDimension = 6, MusicDimension = 5, TextDimension = 8, MinSegments = 1, MaxSegments = 3 });
            bench.WriteStore(dir);
            var encoder = new CountingEncoder();
            var data = TrainingData.FromStore(dir, "tags", encoder, 0.1, 0.1);
            Assert.Equal((10, 4, 3), (data.Train.Count, data.Validation.Count, data.Test.Count));
            Assert.Equal((6, 5, 8), (data.VideoDimension, data.MusicDimension, data.TextDimension));
            var info = Viml.Features.FeatureStore.Open(dir).Info;
            Assert.Equal(info.VideoEncoder, data.Encoders[Viml.Model.EncoderNames.Video]);
            Assert.Equal(info.MusicEncoder, data.Encoders[Viml.Model.EncoderNames.Music]);
            Assert.Equal(encoder.Name, data.Encoders[Viml.Model.EncoderNames.Text]);
            var first = bench.Items.Single(i => i.Id == data.Train[0].Id);
            Assert.Equal(new SyntheticTextEncoder(8).Embed(new[] { first.Texts[1] })[0], data.Train[0].Texts[1]);
            Assert.Equal(new SyntheticTextEncoder(8).Embed(new[] { "" })[0], data.EmptyText);
            int calls = encoder.Calls;
            Assert.True(calls > 0);

            TrainingData.FromStore(dir, "tags", encoder, 0.1, 0.1);
            Assert.Equal(calls, encoder.Calls); // served from texts/tags.synthetic-bow.safetensors

            File.AppendAllText(Path.Combine(dir, "texts", "tags.jsonl"), "{\"id\": \"synthetic-00000\", \"texts\": [\"x\"]}\n");
            var e = Assert.Throws<InvalidInputException>(() => TrainingData.FromStore(dir, "tags", encoder, 0.1, 0.1));
            Assert.Contains("tags.jsonl:18", e.Message);
            Assert.Contains("twice", e.Message);
            Assert.Contains("synth-text", Assert.Throws<InvalidInputException>(() => TrainingData.FromStore(dir, "prompt2text", encoder, 0.1, 0.1)).Message);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Hash_splits_are_stable_and_near_the_fractions()
    {
        var empty = new Dictionary<string, string>();
        var splits = Enumerable.Range(0, 4000).Select(i => TrainingData.SplitOf($"item-{i}", empty, 0.1, 0.1)).ToList();
        Assert.InRange(splits.Count(s => s == "val"), 330, 470);
        Assert.InRange(splits.Count(s => s == "test"), 330, 470);
        Assert.Equal(splits, Enumerable.Range(0, 4000).Select(i => TrainingData.SplitOf($"item-{i}", empty, 0.1, 0.1)));
        Assert.Equal("test", TrainingData.SplitOf("item-1", new Dictionary<string, string> { ["split"] = "test" }, 0.1, 0.1));
    }
}
