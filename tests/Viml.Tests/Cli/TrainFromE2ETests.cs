using Viml.Features;
using Viml.Tests.Media;
using Viml.Training;

namespace Viml.Tests.Cli;

/// <summary>`viml train-from`: four tiny music videos to a model, an evaluation, a catalog and a serve command; a second run skips.</summary>
public sealed class TrainFromE2ETests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-train-from-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    [Trait("Category", "E2E")]
    public void A_folder_of_music_videos_becomes_a_served_model_and_a_second_run_skips_what_is_done()
    {
        // names whose hashed split at a validation fraction of 0.5 puts two videos in train and two in validation
        var empty = new Dictionary<string, string>();
        var names = Enumerable.Range(0, 100).Select(i => $"clip{i}.mp4").ToList();
        var chosen = names.Where(n => TrainingData.SplitOf(n, empty, 0.5, 0) == "train").Take(2)
            .Concat(names.Where(n => TrainingData.SplitOf(n, empty, 0.5, 0) == "val").Take(2)).ToList();
        string videos = Path.Combine(_dir, "videos");
        Directory.CreateDirectory(videos);
        int k = 0;
        foreach (var name in chosen)
        {
            MediaCorpus.Ffmpeg("-f", "lavfi", "-i", $"testsrc=size=64x48:rate=6:duration=10", "-f", "lavfi", "-i", $"sine=frequency={220 * ++k}:duration=10",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", Path.Combine(videos, name));
        }
        File.WriteAllText(Path.Combine(videos, "notes.txt"), "not a video");
        string outDir = Path.Combine(_dir, "out");
        string[] args = ["train-from", videos, "--out", outDir, "--epochs", "2", "--fps", "1", "--validation-fraction", "0.5"];

        var first = CliProcess.Run(args);
        Assert.True(first.Exit == 0, first.Out + first.Err);
        Assert.Contains($"viml serve --catalog {Path.Combine(outDir, "catalog")} --model {Path.Combine(outDir, "run", "best")}", first.Out);
        Assert.Equal(4, FeatureStore.Open(Path.Combine(outDir, "features")).Count);
        Assert.Contains("(stage 3 of 5, ", first.Out);
        Assert.Contains("per hour of video", first.Out);
        Assert.Contains("0.7 min of video", first.Out);   // four 10-s videos
        Assert.True(File.Exists(Path.Combine(outDir, "run", "best", "model.safetensors")));
        Assert.Contains("R@10", File.ReadAllText(Path.Combine(outDir, "eval.md")));
        var list = CliProcess.Run("catalog", "list", "--catalog", Path.Combine(outDir, "catalog"));
        Assert.True(list.Exit == 0, list.Err);
        foreach (var name in chosen) Assert.Contains(Path.GetFileNameWithoutExtension(name), list.Out);

        var second = CliProcess.Run(args);
        Assert.True(second.Exit == 0, second.Out + second.Err);
        Assert.Contains("2. texts: skipped", second.Out);
        Assert.Contains("4. evaluation: skipped", second.Out);
        Assert.Contains("viml serve --catalog", second.Out);
    }

    [Fact]
    public void A_folder_without_videos_is_refused_naming_it()
    {
        File.WriteAllText(Path.Combine(_dir, "a.txt"), "x");
        var e = Assert.Throws<InvalidInputException>(() => VideoFolder.Items(_dir));
        Assert.StartsWith($"{_dir}: no video files", e.Message);
        Assert.Contains("no such folder", Assert.Throws<InvalidInputException>(() => VideoFolder.Items(Path.Combine(_dir, "gone"))).Message);
    }
}
