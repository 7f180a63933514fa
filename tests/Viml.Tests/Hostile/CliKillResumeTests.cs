using System.Diagnostics;
using Viml.Catalog;
using Viml.IO;
using Viml.Tests.Catalog;
using Viml.Tests.Cli;
using Xunit.Abstractions;

namespace Viml.Tests.Hostile;

/// <summary>
/// SIGKILL <c>viml catalog add</c> and <c>viml train</c> at seeded random moments, run them again until one
/// finishes, and compare the result with a run that was never killed: the same tracks and vectors, the
/// same weights.
/// </summary>
[Trait("Category", "E2E")]
public class CliKillResumeTests(ITestOutputHelper log)
{
    /// <summary>What the loop saw: kills that hit a running process, and the exit code of the run that finished.</summary>
    sealed record Loop(int Kills, int Runs, List<string> States);

    /// <summary>Runs the CLI again and again until a run finishes by itself, killing each run at a seeded moment tied to
    /// its progress rather than to the clock (a loaded machine stretches start-up and work unevenly, so clock-based moments
    /// sometimes all landed after the run had finished). The first kill lands in start-up (0.2-1.2 s); each later one lands
    /// 50-600 ms after the run has saved one more unit of work than it started with (a track, an epoch), that is in the
    /// middle of the next unit. A run that starts with one unit or less left, or that comes after
    /// <paramref name="maxKills"/> kills, is left alone.</summary>
    Loop KillUntilDone(string[] args, int seed, int maxKills, Func<string> state, Func<int> progress, int total)
    {
        var rng = new Random(seed);
        int kills = 0, runs = 0;
        var states = new List<string>();
        while (true)
        {
            runs++;
            int before = progress();
            using var p = CliProcess.Start(args);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            bool kill = kills < maxKills && before < total - 1;
            if (kill && kills == 0)
                kill = !p.WaitForExit(200 + rng.Next(1000));
            else if (kill)
            {
                var watch = Stopwatch.StartNew();
                while (!p.HasExited && progress() <= before)
                {
                    if (watch.Elapsed > TimeSpan.FromMinutes(5)) { p.Kill(true); throw new TimeoutException($"run {runs} made no progress in 5 minutes"); }
                    Thread.Sleep(50);
                }
                kill = !p.WaitForExit(50 + rng.Next(550));
            }
            if (kill)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                kills++;
                states.Add(state());
                log.WriteLine($"run {runs}: killed at {before} -> {states[^1]}");
                continue;
            }
            if (!p.WaitForExit(300_000)) { p.Kill(true); throw new TimeoutException("the resumed run did not finish"); }
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"resumed run {runs} exited {p.ExitCode}\n{stdout.Result}\n{stderr.Result}");
            log.WriteLine($"run {runs}: finished");
            return new Loop(kills, runs, states);
        }
    }

    static TimeSpan Timed(string[] args)
    {
        var sw = Stopwatch.StartNew();
        var (exit, stdout, stderr) = CliProcess.Run(args);
        Assert.True(exit == 0, $"viml {string.Join(' ', args)} exited {exit}\n{stdout}\n{stderr}");
        return sw.Elapsed;
    }

    [Fact]
    public void Catalog_add_killed_at_random_moments_resumes_to_the_catalog_of_an_uninterrupted_run()
    {
        string root = Directory.CreateTempSubdirectory("viml-kill-catalog-").FullName;
        try
        {
            string music = Directory.CreateDirectory(Path.Combine(root, "music")).FullName;
            double[] hz = [220, 330, 0, 440, 550, 0];
            double[] seconds = [2, 15, 3, 2, 4, 3];   // track1 has two segments
            for (int i = 0; i < hz.Length; i++) TestParts.Tone(Path.Combine(music, $"track{i}.{(i % 2 == 0 ? "wav" : "flac")}"), hz[i], seconds[i], title: $"Track {i}");
            string ckpt = HostileWorld.Checkpoint;
            string reference = Path.Combine(root, "reference"), killed = Path.Combine(root, "killed");

            var took = Timed(["catalog", "add", music, "--catalog", reference, "--model", ckpt]);
            log.WriteLine($"uninterrupted: {took.TotalSeconds:0.0} s");
            var loop = KillUntilDone(["catalog", "add", music, "--catalog", killed, "--model", ckpt], seed: 6, maxKills: 6,
                () => MusicCatalog.Exists(killed) ? $"{SafeCount(killed)} tracks" : "no catalog yet",
                () => MusicCatalog.Exists(killed) && int.TryParse(SafeCount(killed), out int n) ? n : 0, total: 6);

            Assert.True(loop.Kills >= 3, $"only {loop.Kills} kills hit a running process");
            var want = Content(reference);
            var got = Content(killed);
            Assert.Equal(6, want.Count);
            Assert.Equal(want.Keys.Order(), got.Keys.Order());
            foreach (var (path, w) in want)
            {
                var g = got[path];
                Assert.Equal(w.Hash, g.Hash);
                Assert.Equal(w.Segments.Length, g.Segments.Length);
                Close(w.Track, g.Track, path + " track vector");
                for (int s = 0; s < w.Segments.Length; s++)
                {
                    Close(w.Segments[s].Features, g.Segments[s].Features, $"{path} segment {s} features");
                    Close(w.Segments[s].Embedding, g.Segments[s].Embedding, $"{path} segment {s} vector");
                }
            }
            NoTempFiles(killed);
            var (exit, stdout, stderr) = CliProcess.Run("catalog", "list", "--catalog", killed, "--json");
            Assert.True(exit == 0, stderr);
            Assert.Contains("\"stale_tracks\": 0", stdout);
        }
        finally { Directory.Delete(root, true); }
    }

    /// <summary>Temp files of killed runs (AtomicFile's <c>.name.pid.guid.tmp</c>) are removed by the run that finishes.</summary>
    void NoTempFiles(string dir)
    {
        var temps = Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories);
        foreach (var t in temps) log.WriteLine($"left: {t}");
        Assert.Empty(temps);
    }

    static string SafeCount(string dir)
    {
        try { return MusicCatalog.Open(dir).CountTracks().ToString(); }
        catch (Exception e) { return $"unreadable ({e.Message})"; }
    }

    sealed record Seg(double Start, float[] Features, float[] Embedding);
    sealed record TrackContent(string Hash, float[] Track, Seg[] Segments);

    /// <summary>Every track by path: content hash, track vector, and per segment (in time order) its base features and vector.</summary>
    static Dictionary<string, TrackContent> Content(string dir)
    {
        var cat = MusicCatalog.Open(dir);
        var (keys, matrix, _) = cat.SegmentVectors();
        var spans = cat.SegmentSpans(keys);
        int d = cat.Info.Dimension;
        var result = new Dictionary<string, TrackContent>();
        foreach (var t in cat.Tracks())
        {
            var (_, segIds, feats) = cat.FeaturesOf(t.Id);
            var segs = segIds.Select((id, i) => (id, i)).Select(x =>
            {
                int row = Array.IndexOf(keys, x.id);
                Assert.True(row >= 0, $"segment {x.id} of {t.Path} is not in the vectors");
                return new Seg(spans[x.id].Start, feats[x.i], matrix.AsSpan(row * d, d).ToArray());
            }).OrderBy(s => s.Start).ToArray();
            result[t.Path] = new TrackContent(t.Hash, cat.TrackEmbedding(t.Id)!, segs);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return result;
    }

    static void Close(float[] want, float[] got, string what)
    {
        Assert.True(want.Length == got.Length, $"{what}: length {got.Length}, expected {want.Length}");
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= 1e-6, $"{what}[{i}]: {got[i]} vs {want[i]}");
    }

    [Fact]
    public void Train_killed_at_random_moments_resumes_to_the_weights_of_an_uninterrupted_run()
    {
        string root = Directory.CreateTempSubdirectory("viml-kill-train-").FullName;
        try
        {
            string store = HostileWorld.CopyStore(Path.Combine(root, "store"));
            string Config(string name)
            {
                string path = Path.Combine(root, name + ".json");
                File.WriteAllText(path, HostileWorld.TrainConfigJson(store, Path.Combine(root, name)).Replace("\"epochs\": 2", "\"epochs\": 20"));
                return path;
            }
            string reference = Path.Combine(root, "reference"), killed = Path.Combine(root, "killed");
            var took = Timed(["train", "--config", Config("reference")]);
            log.WriteLine($"uninterrupted: {took.TotalSeconds:0.0} s");
            int Epochs()
            {
                string state = Path.Combine(killed, "last", "state.json");
                try { return File.Exists(state) ? System.Text.Json.JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetArrayLength() : 0; }
                catch (IOException) { return 0; }   // the run is swapping last/ for its new copy at this moment
            }
            var loop = KillUntilDone(["train", "--config", Config("killed")], seed: 8, maxKills: 8,
                () => Epochs() is int e and > 0 ? $"{e} epochs saved" : "no epoch saved", Epochs, total: 20);
            Assert.True(loop.Kills >= 3, $"only {loop.Kills} kills hit a running process");
            Assert.Contains(loop.States, s => s.EndsWith("epochs saved") && !s.StartsWith("20 "));   // at least one kill landed mid-run

            foreach (var sub in new[] { "last", "best" })
            {
                var want = SafeTensors.Load(Path.Combine(reference, sub, "model.safetensors")).Tensors;
                var got = SafeTensors.Load(Path.Combine(killed, sub, "model.safetensors")).Tensors;
                Assert.Equal(want.Keys.Order(), got.Keys.Order());
                foreach (var k in want.Keys) Close(want[k].Data, got[k].Data, $"{sub}/{k}");
                Assert.Equal(File.ReadAllText(Path.Combine(reference, sub, "config.json")), File.ReadAllText(Path.Combine(killed, sub, "config.json")));
            }
            Assert.Equal(File.ReadAllText(Path.Combine(reference, "last", "state.json")), File.ReadAllText(Path.Combine(killed, "last", "state.json")));
            NoTempFiles(killed);
            Assert.False(Directory.Exists(Path.Combine(killed, ".last.new")));
            Assert.False(Directory.Exists(Path.Combine(killed, ".last.old")));
        }
        finally { Directory.Delete(root, true); }
    }
}
