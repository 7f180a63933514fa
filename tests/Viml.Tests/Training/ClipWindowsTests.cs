using Viml.Evaluation;
using Viml.Model;
using Viml.Training;
using Viml.Tests.Model;
using Viml.Encoders;

namespace Viml.Tests.Training;

[Collection(TorchRandom.Name)]
public class ClipWindowsTests
{
    static float[][] Rows(int n, float tag) => Enumerable.Range(0, n).Select(i => new[] { tag + i }).ToArray();
    static TrainingItem Item(int segments) => new("x", Rows(segments, 100), Rows(segments, 200), new[] { new[] { 1f } });

    [Theory]
    [InlineData(6, 0, 0)]   // first segment: the window shifts right to stay inside the item
    [InlineData(6, 1, 0)]
    [InlineData(6, 3, 2)]   // centred: segments 2, 3, 4
    [InlineData(6, 5, 3)]   // last segment: the window shifts left
    public void A_clip_is_one_music_segment_with_the_three_video_segments_around_it(int segments, int s, int firstVideo)
    {
        var clip = ClipWindows.Clip(Item(segments), s);
        Assert.Equal(new[] { 200f + s }, clip.Music.Select(r => r[0]));
        Assert.Equal(new[] { 100f + firstVideo, 101f + firstVideo, 102f + firstVideo }, clip.Video.Select(r => r[0]));
        Assert.Equal("x", clip.Id);
        Assert.Single(clip.Texts);
    }

    [Fact]
    public void A_clip_of_a_short_item_sees_all_its_video()
    {
        var clip = ClipWindows.Clip(Item(2), 1);
        Assert.Equal(new[] { 100f, 101f }, clip.Video.Select(r => r[0]));
        Assert.Equal(new[] { 201f }, clip.Music.Select(r => r[0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClipWindows.Clip(Item(2), 2));
    }

    [Fact]
    public void Evaluation_clips_depend_on_the_item_alone_and_spread_over_segments()
    {
        var items = Enumerable.Range(0, 200).Select(i => Item(8) with { Id = $"item-{i}" }).ToList();
        var clips = ClipWindows.ForEvaluation(items);
        var again = ClipWindows.ForEvaluation(items.AsEnumerable().Reverse().ToList()).Reverse().ToList();
        Assert.Equal(clips.Select(c => c.Music[0][0]), again.Select(c => c.Music[0][0]));
        Assert.Equal(8, clips.Select(c => c.Music[0][0]).Distinct().Count());
    }

    [Fact]
    public void Clip_level_training_learns_and_its_validation_ranks_clips()
    {
        var data = new SyntheticBenchmark(new SyntheticConfig
        {
            Train = 96, Validation = 32, Test = 16, MinSegments = 3, MaxSegments = 6, VideoDimension = 12, MusicDimension = 10, TextDimension = 8,
        }).ToTrainingData(new SyntheticTextEncoder(8));
        string dir = Path.Combine(Path.GetTempPath(), "viml-clip-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new TrainConfig
            {
                Store = "synthetic", Output = dir, BatchSize = 16, Epochs = 4, LearningRate = 2e-3, ValidationPool = 32, Seed = 1, Threads = 1,
                Level = Level.Clip, Model = new ModelConfig { Dimension = 16, Heads = 2, FeedForward = 32, FusionHidden = 24 },
            };
            var result = Trainer.Train(config, data);
            Assert.True(result.History[^1].Loss < result.History[0].Loss, string.Join(", ", result.History.Select(h => h.Loss)));
            Assert.Contains("\"level\": \"clip\"", File.ReadAllText(Path.Combine(dir, "train_config.json")));
            using var model = TrainedModel.Load(result.BestDir);
            var report = Evaluator.Evaluate(new Dictionary<string, TrainedModel> { ["viml"] = model }, data,
                new Evaluator.Options(PoolSize: 32, Seed: 1, Split: "val", Level: Level.Clip));
            Assert.Equal("Music retrieval, clip level", report.Title);
            // training validated on the same clips and pools as `viml eval --level clip` ranks
            var withText = report.Rows.Single(r => r.Method == "ViML" && r.QueryText != "-").Metrics;
            Assert.Equal(32, withText.Queries);
            Assert.Equal(result.History.Single(h => h.Epoch == result.BestEpoch).ValidationR10, withText.R10, 6);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_track_level_config_file_has_no_level_field_so_earlier_runs_still_resume()
    {
        string json = System.Text.Json.JsonSerializer.Serialize(new TrainConfig(), ModelConfig.Json);
        Assert.DoesNotContain("level", json);
        Assert.DoesNotContain("stream", json);
        Assert.DoesNotContain("text_learning_rate", json);
        Assert.DoesNotContain("fusion_norm_first", json);
    }
}
