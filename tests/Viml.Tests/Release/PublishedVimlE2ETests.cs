using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using Viml.Catalog;
using Viml.IO;
using Viml.Model;
using Viml.Tests.Catalog;
using Viml.Torch;

namespace Viml.Tests.Release;

/// <summary>
/// The release as a user gets it: <c>scripts/publish</c> into a folder outside the checkout, then the published
/// <c>viml</c> (self-contained: no SDK or shared runtime used) runs <c>doctor</c>, builds a catalog of generated
/// music and recommends for a generated video.
/// </summary>
public class PublishedVimlE2ETests
{
    static (int Exit, string Out, string Err) Run(string program, string workDir, TimeSpan limit, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("VIML_HOME");          // nothing may come from the checkout
        psi.Environment["DOTNET_ROOT"] = "/nonexistent";   // nor from an installed .NET
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit)) { p.Kill(true); throw new TimeoutException($"{program} {string.Join(' ', args)}: over {limit}"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    [Trait("Category", "E2E")]
    public void The_published_viml_runs_doctor_and_recommends_outside_the_checkout()
    {
        string root = Directory.CreateTempSubdirectory("viml-release-").FullName;
        try
        {
            var publish = Run("bash", root, TimeSpan.FromMinutes(20), Path.Combine(ProjectPaths.Root, "scripts", "publish"), Path.Combine(root, "dist"));
            Assert.True(publish.Exit == 0, publish.Out + publish.Err);
            string dir = Path.Combine(root, "dist", "viml"), viml = Path.Combine(dir, "viml");
            Assert.Single(Directory.GetFiles(root, "viml-*-linux-x64.tar.gz", SearchOption.AllDirectories));
            // self-contained, each native library once, the load fix applied, the weights carried
            Assert.True(File.Exists(Path.Combine(dir, "libcoreclr.so")));
            Assert.Single(Directory.GetFiles(dir, "libtorch_cpu.so", SearchOption.AllDirectories));
            var torchSharp = Assert.Single(Directory.GetFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories));
            Assert.Equal(0, ElfVersionPatcher.MarkWeak(File.ReadAllBytes(torchSharp), "GLIBCXX_3.4.32"));
            Assert.True(Directory.Exists(Path.Combine(dir, "models", "music", "msd-musicnn")));

            var doctor = Run(viml, root, TimeSpan.FromMinutes(5), "doctor");
            Assert.True(doctor.Exit == 0, doctor.Out + doctor.Err);
            Assert.Contains("musicnn", doctor.Out);

            var music = Directory.CreateDirectory(Path.Combine(root, "music")).FullName;
            TestParts.Tone(Path.Combine(music, "low.flac"), 220, 12, title: "Low");
            TestParts.Tone(Path.Combine(music, "high.mp3"), 880, 12, title: "High");
            TestParts.Tone(Path.Combine(music, "noise.ogg"), 0, 12, title: "Noise");
            string video = TestParts.Video(Path.Combine(root, "clip.mp4"), 12);
            string model = SaveCheckpoint(Path.Combine(root, "model"));
            string catalog = Path.Combine(root, "catalog");

            var add = Run(viml, root, TimeSpan.FromMinutes(5), "catalog", "add", music, "--catalog", catalog, "--model", model);
            Assert.True(add.Exit == 0, add.Out + add.Err);
            var rec = Run(viml, root, TimeSpan.FromMinutes(5), "recommend", video, "--text", "a calm piano piece",
                "--catalog", catalog, "--model", model, "--top", "3", "--json", "--all-kinds");   // tones and noise are not music
            Assert.True(rec.Exit == 0, rec.Out + rec.Err);
            var results = JsonDocument.Parse(rec.Out).RootElement.GetProperty("results");
            Assert.Equal(3, results.GetArrayLength());
            Assert.Equal(new[] { "High", "Low", "Noise" }, results.EnumerateArray().Select(r => r.GetProperty("title").GetString()).Order().ToArray());
        }
        finally { Directory.Delete(root, true); }
    }

    /// <summary>A freshly initialised (untrained) ViML checkpoint: the recommend path, not its quality, is under test.</summary>
    static string SaveCheckpoint(string dir)
    {
        TorchRuntime.Initialise();
        torch.manual_seed(1);
        using var m = new VimlModel(new ModelConfig { Dimension = 64, Layers = 1, Heads = 4, FeedForward = 128, FusionHidden = 128 });
        Checkpoint.Save(dir, m);
        return dir;
    }
}
