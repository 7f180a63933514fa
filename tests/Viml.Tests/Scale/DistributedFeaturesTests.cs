using Viml.Features;
using Viml.Tests.Media;

namespace Viml.Tests.Scale;

[Collection("redis")]
public class DistributedFeaturesTests(RedisServer redis)
{
    [Fact, Trait("Category", "E2E")]
    public void Features_with_redis_are_extracted_by_a_worker_process_and_a_bad_item_is_reported()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir["manifest.jsonl"], new[]
        {
            $$"""{"id": "a", "video": "{{MediaCorpus.MusicVideo}}"}""",
            $$"""{"id": "b", "video": "{{MediaCorpus.MusicVideoFastStart}}"}""",
            $$"""{"id": "c", "video": "{{MediaCorpus.RandomBytes}}"}""",
        });
        using var worker = CliProcess.Start("worker", "--redis", redis.Url);
        worker.OutputDataReceived += (_, _) => { };
        worker.ErrorDataReceived += (_, _) => { };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            var (exit, stdout, stderr) = CliProcess.Run("features", dir["manifest.jsonl"], "--out", dir["store"], "--redis", redis.Url);
            Assert.True(exit == 1, stdout + stderr);   // one item failed
            Assert.Contains("failed: c:", stderr);
            Assert.Contains("2 of 3 done", stdout);
            var store = FeatureStore.Open(dir["store"]);
            Assert.Equal(2, store.Count);
            var a = store.Read("a");
            Assert.Equal((512, 600), (a.Video[0].Length, a.Music[0].Length));

            // run again: the items in the store are not sent; only the bad one is, and fails again
            var again = CliProcess.Run("features", dir["manifest.jsonl"], "--out", dir["store"], "--redis", redis.Url);
            Assert.Contains("0 of 1 done", again.Out);
        }
        finally
        {
            worker.Kill();
            worker.WaitForExit();
        }
    }
}
