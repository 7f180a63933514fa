using System.Diagnostics;
using TorchSharp;
using Viml.Catalog;
using Viml.Demo;
using Viml.Encoders;
using Viml.Model;
using Viml.Tests.Catalog;
using Viml.Tests.Cli;
using Viml.Torch;

namespace Viml.Tests.Demo;

/// <summary>
/// The commands a finished demo prints run as printed on a demo's folders: a catalog of style-named tracks, the
/// query video, and a run folder whose best/ and last/ hold the same epoch (the demo's 6 validation items cannot
/// choose). The closing summary is computed from the same catalog's rankings.
/// </summary>
public class DemoNextStepsE2ETests
{
    [Fact]
    [Trait("Category", "E2E")]
    public void Every_printed_command_works_on_the_demos_folders_and_the_summary_comes_from_its_rankings()
    {
        string dir = Directory.CreateTempSubdirectory("viml demo-").FullName;   // a space: quoting is tested too
        try
        {
            var paths = new DemoPaths(dir);
            Directory.CreateDirectory(paths.MusicFolder);
            Directory.CreateDirectory(Path.GetDirectoryName(paths.QueryVideo)!);
            TestParts.Tone(Path.Combine(paths.MusicFolder, "jazz 01.flac"), 330, 11);
            TestParts.Tone(Path.Combine(paths.MusicFolder, "folk 01.mp3"), 440, 11);
            TestParts.Tone(Path.Combine(paths.MusicFolder, "rock 01.ogg"), 0, 11);
            TestParts.Video(paths.QueryVideo, 11);
            string last = Path.Combine(dir, "runs", "viml", "last"), best = Path.Combine(dir, "runs", "viml", "best");
            // best/ is a copy of last/, as the demo's training leaves them (best follows last). Two models made after
            // manual_seed(1) each are not the same model: torch's generator is global, and tests running beside this
            // one draw from it in between.
            SaveCheckpoint(last);
            Directory.CreateDirectory(best);
            foreach (var f in Directory.GetFiles(last)) File.Copy(f, Path.Combine(best, Path.GetFileName(f)));
            using (var model = new TrainedCatalogModel(last))
            using (var music = new MusicnnEncoder())
            {
                var parts = CatalogParts.Ingest(model, music);
                var catalog = MusicCatalog.OpenOrCreate(paths.Catalog, CatalogIngest.InfoFor(parts));
                new CatalogIngest(catalog, parts).Add(CatalogIngest.FindAudio([paths.MusicFolder]));
            }

            var commands = DemoNextSteps.Commands(paths, last);
            Assert.Contains(commands, c => c.StartsWith("viml serve", StringComparison.Ordinal));
            foreach (var line in commands.Where(c => !c.StartsWith("viml serve", StringComparison.Ordinal)))
            {
                var (exit, stdout, stderr) = CliProcess.Run(Words(line)[1..]);
                Assert.True(exit == 0, $"{line}\n{stdout}\n{stderr}");
            }
            Serves(Words(commands.Single(c => c.StartsWith("viml serve", StringComparison.Ordinal)))[1..]);

            // The summary's rankings are recommend's own: the same order and scores as the verb with the same options
            // (the tones are not music, so both keep every kind of sound).
            var rankings = DemoRankings.Rank(paths, last, 2, [null, "a jazz tune"], new Steering(IncludeNonMusic: true));
            var (code, json, err) = CliProcess.Run(["recommend", paths.QueryVideo, "--catalog", paths.Catalog, "--model", last,
                "--fps", "2", "--top", "3", "--text", "a jazz tune", "--all-kinds", "--json"]);
            Assert.True(code == 0, err);
            var verb = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("results").EnumerateArray()
                .Select(r => (Path: r.GetProperty("path").GetString(), Score: r.GetProperty("score").GetDouble())).ToList();
            Assert.Equal(verb.Select(v => v.Path), rankings[1].Select(r => r.Track.Path));
            Assert.All(verb.Zip(rankings[1]), p => Assert.Equal(p.First.Score, p.Second.Score, 1e-5));
            var ranked = DemoRankings.Paths(rankings);
            Assert.All(ranked, r => Assert.Equal(3, r.Count));
            var lines = DemoSummary.Describe("sunny", ranked[0], [("a jazz tune", ranked[1])], top: 2);
            Assert.Contains($"jazz at {ranked[0].ToList().FindIndex(p => p.Contains("jazz 01")) + 1}", lines[0]);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Starts <c>viml serve</c> on a free port, waits for its address line, and stops it.</summary>
    static void Serves(string[] args)
    {
        using var p = CliProcess.Start([.. args, "--port", "0"]);
        try
        {
            var deadline = Stopwatch.StartNew();
            string? line;
            while ((line = p.StandardOutput.ReadLine()) != null && !line.Contains("Viml at", StringComparison.Ordinal))
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), "serve did not start");
            if (line is null) Assert.Fail("serve exited: " + p.StandardError.ReadToEnd());   // read only once it has exited
        }
        finally { p.Kill(true); p.WaitForExit(); }
    }

    /// <summary>Splits a printed shell line into words: single and double quotes, no escapes inside double quotes.</summary>
    static string[] Words(string line)
    {
        var words = new List<string>();
        var word = new System.Text.StringBuilder();
        bool any = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c is '\'' or '"')
            {
                int end = line.IndexOf(c, i + 1);
                word.Append(line, i + 1, end - i - 1);
                any = true;
                i = end;
            }
            else if (c == '\\' && i + 1 < line.Length) { word.Append(line[++i]); any = true; }
            else if (c == ' ') { if (any) words.Add(word.ToString()); word.Clear(); any = false; }
            else { word.Append(c); any = true; }
        }
        if (any) words.Add(word.ToString());
        return words.ToArray();
    }

    static void SaveCheckpoint(string dir)
    {
        TorchRuntime.Initialise();
        torch.manual_seed(1);
        using var m = new VimlModel(new ModelConfig { Dimension = 64, Layers = 1, Heads = 4, FeedForward = 128, FusionHidden = 128 });
        Checkpoint.Save(dir, m);
    }
}
