using System.Diagnostics;
using Viml.Features;
using Viml.Features.YouTube8M;
using Viml.Tests.Cli;

namespace Viml.Tests.Features.YouTube8M;

public class Yt8mKillResumeTests
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

        // Kills are tied to progress, not to the clock: each run is killed once the store holds a seeded number of
        // items more than it started with, so on a loaded machine the kill still lands mid-import.
        var rng = new Random(7);
        int kills = 0, midway = 0;
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 25, "the import never completed");
            int before = Directory.Exists(dir["store/items"]) ? FeatureStore.Open(dir["store"]).Count : 0;
            int target = before < 199 && kills < 4 ? before + rng.Next(1, Math.Min(80, 200 - before)) : int.MaxValue;
            using var p = CliProcess.Start("yt8m", "import", dir["a.tfrecord"], dir["b.tfrecord"], "--out", dir["store"]);
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            var waited = Stopwatch.StartNew();
            while (!p.HasExited && target != int.MaxValue && Items() < target)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(5), $"attempt {attempt} made no progress past {before} items");
                Thread.Sleep(5);
            }
            if (target == int.MaxValue || p.HasExited)
            {
                Assert.True(p.WaitForExit(300_000), "the resumed import did not finish");
                Assert.Equal(0, p.ExitCode);
                break;
            }
            p.Kill();   // SIGKILL
            p.WaitForExit();
            kills++;
            var partial = FeatureStore.Open(dir["store"]);
            if (partial.Count is > 0 and < 200) midway++;
            foreach (var item in partial.ReadAll()) Assert.Equal(item.Video.Length, item.Music.Length);   // every item file is whole
        }
        int Items() => Directory.Exists(dir["store/items"]) ? Directory.EnumerateFiles(dir["store/items"], "*.safetensors").Count() : 0;
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
}
