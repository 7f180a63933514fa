using System.Diagnostics;
using Viml.Features;
using Viml.Tests.Media;

namespace Viml.Tests.Features;

/// <summary><c>viml features</c> end to end with the real encoders (ResNet18, musicnn).</summary>
[Trait("Category", "E2E")]
public sealed class FeaturesCliTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-features-cli-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    static (int Exit, string Output) Viml(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Viml.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["COLUMNS"] = "200";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }

    [Fact]
    public void Extracts_the_good_items_lists_the_bad_ones_and_resumes()
    {
        string manifest = Path.Combine(_dir, "items.jsonl");
        File.WriteAllLines(manifest,
        [
            $$"""{"id": "colours", "video": "{{MediaCorpus.Colours}}"}""",
            $$"""{"id": "random", "video": "{{MediaCorpus.RandomBytes}}"}""",
            $$"""{"id": "gone", "video": "nowhere/clip.mp4"}""",
        ]);
        string store = Path.Combine(_dir, "store");

        var (exit, output) = Viml("features", manifest, "--out", store, "--fps", "2");
        Assert.True(exit == 1, output);
        Assert.Contains("extracted 1", output);
        Assert.Contains("failed 2 of 3", output);
        Assert.Contains(MediaCorpus.RandomBytes, output);
        Assert.Contains("truncated or corrupt", output);
        Assert.Contains(Path.Combine(_dir, "nowhere", "clip.mp4"), output);
        Assert.Contains("does not exist", output);

        var s = FeatureStore.Open(store);
        Assert.Equal(("resnet18", 512, "musicnn", 600, 150, 2.0), (s.Info.VideoEncoder, s.Info.VideoDimension, s.Info.MusicEncoder, s.Info.MusicDimension, s.Info.TagNames.Count, s.Info.Fps));
        Assert.All(s.Info.TagNames, t => Assert.Equal(3, t.Split(':').Length));
        var item = s.Read("colours");
        Assert.Equal([0.0, 10, 20], item.SegmentStarts);
        Assert.All(item.Tags.SelectMany(r => r), v => Assert.InRange(v, 0f, 1f));
        // red, blue and green segments: different pictures, different embeddings
        Assert.True(Cosine(item.Video[0], item.Video[1]) < 0.98, $"red vs blue cosine {Cosine(item.Video[0], item.Video[1])}");
        Assert.True(Cosine(item.Music[0], item.Music[1]) < 0.98, "a tone and silence give different music features");

        var (again, output2) = Viml("features", manifest, "--out", store, "--fps", "2");
        Assert.Equal(1, again);
        Assert.Contains("extracted 0, skipped 1", output2);
    }

    [Fact]
    public void Usage_errors_exit_64_and_a_store_made_at_another_fps_is_refused()
    {
        Assert.Equal(64, Viml("features", "m.jsonl").Exit);
        string manifest = Path.Combine(_dir, "m.jsonl");
        File.WriteAllText(manifest, $$"""{"id": "a", "video": "{{MediaCorpus.MusicVideo}}"}""" + "\n");
        Assert.Equal(0, Viml("features", manifest, "--out", Path.Combine(_dir, "s"), "--fps", "1").Exit);
        var (exit, output) = Viml("features", manifest, "--out", Path.Combine(_dir, "s"));
        Assert.Equal(2, exit);
        Assert.Contains("made with other settings", output);
    }

    static double Cosine(float[] a, float[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return ab / Math.Sqrt(aa * bb + 1e-12);
    }
}
