using Viml.Evaluation;
using Viml.Tests.Cli;

namespace Viml.Tests.Training;

/// <summary>`viml train` then `viml eval` on a small synthetic store, through the real CLI.</summary>
public class TrainCliTests
{
    [Fact]
    [Trait("Category", "E2E")]
    public void Train_writes_best_last_and_plot_then_eval_writes_the_tables()
    {
        string dir = Path.Combine(Path.GetTempPath(), "viml-cli-train-" + Guid.NewGuid().ToString("N"));
        try
        {
            new SyntheticBenchmark(new SyntheticConfig { Train = 120, Validation = 30, Test = 30, VideoDimension = 8, MusicDimension = 8, MinSegments = 2, MaxSegments = 4 })
                .WriteStore(Path.Combine(dir, "store"));
            string cfg = Path.Combine(dir, "train.json");
            File.WriteAllText(cfg, """
                { "store": "store", "texts": "tags", "text_encoder": "synthetic", "output": "run",
                  "model": { "dimension": 16, "heads": 2, "feed_forward": 32, "fusion": "linear" },
                  "batch_size": 32, "epochs": 2, "learning_rate": 1e-3, "validation_pool": 30, "threads": 1 }
                """);
            var (exit, stdout, stderr) = CliProcess.Run("train", "--config", cfg);
            Assert.True(exit == 0, stdout + stderr);
            Assert.Contains("best epoch", stdout);
            foreach (var f in new[] { "best/model.safetensors", "best/config.json", "last/optimizer.bin", "last/state.json", "training.png" })
                Assert.True(File.Exists(Path.Combine(dir, "run", f)), f);
            Assert.True(File.Exists(Path.Combine(dir, "store", "texts", "tags.synthetic-bow.safetensors")));

            string report = Path.Combine(dir, "report");
            (exit, stdout, stderr) = CliProcess.Run("eval", "--store", Path.Combine(dir, "store"), "--text-encoder", "synthetic",
                "--viml", Path.Combine(dir, "run", "best"), "--pool", "30", "--out", report);
            Assert.True(exit == 0, stdout + stderr);
            string md = File.ReadAllText(report + ".md");
            Assert.Contains("| ViML | tags | tags |", md);
            Assert.Contains("| Chance |", md);
            Assert.Contains("\"r10\"", File.ReadAllText(report + ".json"));

            // A damaged optimizer state in last/ is named, and the run is not started over behind the user's back.
            string moments = Path.Combine(dir, "run", "last", "optimizer.bin");
            byte[] whole = File.ReadAllBytes(moments);
            File.WriteAllBytes(moments, whole[..(whole.Length / 2)]);
            (exit, _, stderr) = CliProcess.Run("train", "--config", cfg);
            Assert.True(exit == 2, $"exit {exit}: {stderr}");
            Assert.Contains("optimizer.bin: the optimizer state of the last epoch is unreadable", stderr);
            Assert.Equal(whole.Length / 2, new FileInfo(moments).Length);

            File.WriteAllText(cfg, "{ \"store\": \"store\", \"batch_size\": 1 }");
            (exit, _, stderr) = CliProcess.Run("train", "--config", cfg);
            Assert.Equal(2, exit);
            Assert.Contains("batch_size", stderr);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
