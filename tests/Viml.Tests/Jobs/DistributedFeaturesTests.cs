using TorchSharp;
using Viml.Catalog;
using Viml.Features;
using Viml.Model;
using Viml.Tests.Catalog;
using Viml.Tests.Cli;
using Viml.Tests.Media;
using Viml.Torch;

namespace Viml.Tests.Jobs;

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

    [Fact, Trait("Category", "E2E")]
    public void Catalog_add_with_redis_gives_the_same_catalog_as_a_local_add()
    {
        using var dir = new TempDir();
        var lib = ToneLibrary.Write(dir["music"]);
        File.WriteAllBytes(Path.Combine(lib, "broken.wav"), new byte[300]);
        TorchRuntime.Initialise();
        torch.manual_seed(1);
        using (var m = new VimlModel(new ModelConfig { Dimension = 64, Layers = 1, Heads = 4, FeedForward = 128, FusionHidden = 128 }))
            Checkpoint.Save(dir["ck"], m);

        var local = CliProcess.Run("catalog", "add", lib, "--catalog", dir["local"], "--model", dir["ck"]);
        Assert.True(local.Exit is 0 or 1, local.Out + local.Err);
        using var worker = CliProcess.Start("worker", "--redis", redis.Url);
        worker.OutputDataReceived += (_, _) => { };
        worker.ErrorDataReceived += (_, _) => { };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            var remote = CliProcess.Run("catalog", "add", lib, "--catalog", dir["remote"], "--model", dir["ck"], "--redis", redis.Url);
            Assert.True(remote.Exit == 1, remote.Out + remote.Err);   // broken.wav fails
            Assert.Contains("broken.wav", remote.Err);
            Assert.Contains("3 track(s) added", remote.Out);
            var again = CliProcess.Run("catalog", "add", lib, "--catalog", dir["remote"], "--model", dir["ck"], "--redis", redis.Url);
            Assert.Contains("3 unchanged", again.Out);
        }
        finally { worker.Kill(); worker.WaitForExit(); }

        var a = MusicCatalog.Open(dir["local"]);
        var b = MusicCatalog.Open(dir["remote"]);
        Assert.Equal(a.Tracks().Select(t => (t.Path, t.Hash, t.Segments)).OrderBy(t => t.Path), b.Tracks().Select(t => (t.Path, t.Hash, t.Segments)).OrderBy(t => t.Path));
        Assert.Empty(Directory.GetFiles(dir["remote/incoming"]));
        static List<string> Rows(MusicCatalog c)
        {
            var (keys, m, _) = c.SegmentVectors();
            int d = m.Length / keys.Length;
            return Enumerable.Range(0, keys.Length).Select(i => string.Join(",", m.AsSpan(i * d, d).ToArray().Select(x => x.ToString("F4")))).Order().ToList();
        }
        Assert.Equal(Rows(a), Rows(b));
    }
}
