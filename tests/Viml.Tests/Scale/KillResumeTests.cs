using System.Diagnostics;
using Viml.Features;
using Viml.Features.YouTube8M;
using Viml.Catalog;
using Viml.Model;
using Viml.Tests.Catalog;
using TorchSharp;

namespace Viml.Tests.Scale;

public class KillResumeTests
{
    /// <summary>
    /// `viml yt8m import` killed (SIGKILL) at random moments, then run again, until it completes: the store
    /// ends up identical to one made without interruption, and every item in it is whole at every stop.
    /// </summary>
    [Fact, Trait("Category", "E2E")]
    public void Yt8m_import_killed_at_random_moments_resumes_to_the_same_store()
    {
        using var dir = new TempDir();
        var videos = Enumerable.Range(0, 200).Select(i => Yt8mFiles.Make($"v{i:000}", 40 + i % 30, [i % 5], seed: i)).ToList();
        Yt8mFiles.WriteTfRecord(dir["a.tfrecord"], videos.Take(100).Select(Yt8mFiles.Serialize));
        Yt8mFiles.WriteTfRecord(dir["b.tfrecord"], videos.Skip(100).Select(Yt8mFiles.Serialize));
        var watch = Stopwatch.StartNew();
        var clean = CliProcess.Run("yt8m", "import", dir["a.tfrecord"], dir["b.tfrecord"], "--out", dir["reference"]);
        Assert.True(clean.Exit == 0, clean.Out + clean.Err);
        int full = (int)watch.ElapsedMilliseconds;

        var rng = new Random(7);
        int kills = 0, midway = 0;
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 25, "the import never completed");
            using var p = CliProcess.Start("yt8m", "import", dir["a.tfrecord"], dir["b.tfrecord"], "--out", dir["store"]);
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (p.WaitForExit(rng.Next(full / 3, full * 3 / 4)))
            {
                Assert.Equal(0, p.ExitCode);
                if (midway > 0) break;
                Directory.Delete(dir["store"], true);   // no kill landed mid-import: start over
                continue;
            }
            p.Kill();   // SIGKILL
            p.WaitForExit();
            kills++;
            if (Directory.Exists(dir["store/items"]))
            {
                var partial = FeatureStore.Open(dir["store"]);
                int n = partial.Count;
                if (n is > 0 and < 200) midway++;
                foreach (var item in partial.ReadAll()) Assert.Equal(item.Video.Length, item.Music.Length);   // every item file is whole
            }
        }
        Assert.True(kills >= 1 && midway >= 1, $"{kills} kills, {midway} in the middle of the import ({full} ms uninterrupted)");

        var reference = FeatureStore.Open(dir["reference"]).ReadAll().ToDictionary(i => i.Id);
        var resumed = FeatureStore.Open(dir["store"]).ReadAll().ToList();
        Assert.Equal(reference.Keys.Order(), resumed.Select(i => i.Id).Order());
        foreach (var item in resumed)
        {
            var want = reference[item.Id];
            Assert.Equal(want.SegmentStarts, item.SegmentStarts);
            for (int s = 0; s < want.Video.Length; s++)
            {
                Assert.Equal(want.Video[s], item.Video[s]);
                Assert.Equal(want.Music[s], item.Music[s]);
            }
        }
    }

    /// <summary>
    /// `viml train` on an imported YouTube-8M store, killed (SIGKILL) at random moments and run again until it
    /// completes, ends with the same weights and history as a run never interrupted.
    /// </summary>
    [Fact, Trait("Category", "E2E")]
    public void Train_killed_at_random_moments_resumes_to_the_same_weights()
    {
        using var dir = new TempDir();
        var rng = new Random(11);
        var videos = Enumerable.Range(0, 40).Select(i => Yt8mFiles.Make($"v{i:00}", 15 + rng.Next(20), [i % 4], seed: i * 7)).ToList();
        Yt8mFiles.WriteTfRecord(dir["a.tfrecord"], videos.Select(Yt8mFiles.Serialize));
        Yt8mImporter.Import(new[] { dir["a.tfrecord"] }, dir["store"]);
        Directory.CreateDirectory(dir["store/texts"]);
        File.WriteAllLines(dir["store/texts/labels.jsonl"], videos.Select(v => $$"""{"id": "{{v.Id}}", "texts": ["label {{v.Labels[0]}} video"]}"""));
        string Config(string output) => $$$"""
            {"store": "store", "texts": "labels", "text_encoder": "synthetic", "output": "{{{output}}}", "batch_size": 8, "epochs": 20,
             "validation_pool": 8, "threads": 1, "model": {"dimension": 32, "layers": 1, "heads": 2, "feed_forward": 64, "fusion_hidden": 64}}
            """;
        File.WriteAllText(dir["reference.json"], Config("reference"));
        File.WriteAllText(dir["resumed.json"], Config("resumed"));

        var watch = Stopwatch.StartNew();
        var reference = CliProcess.Run("train", "--config", dir["reference.json"]);
        Assert.True(reference.Exit == 0, reference.Out + reference.Err);
        int full = (int)watch.ElapsedMilliseconds;

        int kills = 0, afterAnEpoch = 0;
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 20, "training never completed");
            using var p = CliProcess.Start("train", "--config", dir["resumed.json"]);
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (p.WaitForExit(rng.Next(full / 6, full / 2)))
            {
                Assert.Equal(0, p.ExitCode);
                break;
            }
            p.Kill();
            p.WaitForExit();
            kills++;
            if (File.Exists(dir["resumed/last/model.safetensors"])) afterAnEpoch++;
        }
        Assert.True(kills >= 1 && afterAnEpoch >= 1, $"{kills} kills, {afterAnEpoch} after an epoch was saved ({full} ms uninterrupted)");

        foreach (var sub in new[] { "last", "best" })
        {
            var (want, _) = Viml.IO.SafeTensors.Load(dir[$"reference/{sub}/model.safetensors"]);
            var (got, _) = Viml.IO.SafeTensors.Load(dir[$"resumed/{sub}/model.safetensors"]);
            Assert.Equal(want.Keys.Order(), got.Keys.Order());
            foreach (var (name, t) in want) Assert.True(t.Data.AsSpan().SequenceEqual(got[name].Data), $"{sub}/{name} differs after resuming");
        }
    }

    /// <summary>`viml catalog add` killed (SIGKILL) at random moments and run again until it completes: same tracks and vectors as an uninterrupted add.</summary>
    [Fact, Trait("Category", "E2E")]
    public void Catalog_add_killed_at_random_moments_resumes_to_the_same_catalog()
    {
        using var dir = new TempDir();
        var lib = Directory.CreateDirectory(dir["music"]).FullName;
        for (int i = 0; i < 8; i++) TestParts.Tone(Path.Combine(lib, $"t{i}.wav"), 150 + 60 * i, 11 + 3 * i);
        TorchRuntime.Initialise();
        torch.manual_seed(3);
        using (var m = new VimlModel(new ModelConfig { Dimension = 32, Layers = 1, Heads = 2, FeedForward = 64, FusionHidden = 64 }))
            Checkpoint.Save(dir["ck"], m);

        var watch = Stopwatch.StartNew();
        var clean = CliProcess.Run("catalog", "add", lib, "--catalog", dir["reference"], "--model", dir["ck"]);
        Assert.True(clean.Exit == 0, clean.Out + clean.Err);
        int full = (int)watch.ElapsedMilliseconds;

        var rng = new Random(5);
        int kills = 0, midway = 0;
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 25, "catalog add never completed");
            using var p = CliProcess.Start("catalog", "add", lib, "--catalog", dir["resumed"], "--model", dir["ck"]);
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (p.WaitForExit(rng.Next(full / 3, full * 9 / 10)))
            {
                Assert.Equal(0, p.ExitCode);
                if (midway > 0) break;
                Directory.Delete(dir["resumed"], true);   // no kill landed mid-add: start over
                continue;
            }
            p.Kill();
            p.WaitForExit();
            kills++;
            if (MusicCatalog.Exists(dir["resumed"]) && MusicCatalog.Open(dir["resumed"]).TrackCount is > 0 and < 8) midway++;
        }
        Assert.Equal(CatalogSummary(dir["reference"]), CatalogSummary(dir["resumed"]));
    }

    /// <summary>Tracks (path, hash, segments) and every segment vector, order-free.</summary>
    internal static List<string> CatalogSummary(string root)
    {
        var c = MusicCatalog.Open(root);
        var tracks = c.Tracks().Select(t => $"{t.Path} {t.Hash} {t.Segments}");
        var (keys, m, _) = c.SegmentVectors();
        int d = keys.Length == 0 ? 0 : m.Length / keys.Length;
        var rows = Enumerable.Range(0, keys.Length).Select(i => string.Join(",", m.AsSpan(i * d, d).ToArray().Select(x => x.ToString("F4"))));
        return tracks.Order().Concat(rows.Order()).ToList();
    }
}
