using Viml.Demo;
using Viml.Encoders;
using Viml.Media;
using Xunit.Abstractions;

namespace Viml.Tests.Encoders;

/// <summary>The int8 frame encoder against the fp32 one on generated videos in the demo's looks.</summary>
[Trait("Category", "E2E")]
public sealed class ResNet18Int8Tests(ITestOutputHelper log) : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-int8-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    [Fact]
    public void Int8_segment_means_match_fp32_and_rank_clips_alike()
    {
        string cache = Path.Combine(_dir, "cache");
        using var fp32 = new ResNet18FrameEncoder();
        using var int8 = new ResNet18FrameEncoder(precision: FramePrecision.Int8, cacheFolder: cache);
        string model = Assert.Single(Directory.GetFiles(Path.Combine(cache, "models")));
        var written = File.GetLastWriteTimeUtc(model);
        using (new ResNet18FrameEncoder(precision: FramePrecision.Int8, cacheFolder: cache))
            Assert.Equal(written, File.GetLastWriteTimeUtc(model));            // the cached model is reused

        // 24 clips (8 seeds per look, none used in calibration), one 10-s segment each (the catalog's), 2 frames/s
        var clips = DemoVideo.Looks.SelectMany(look => Enumerable.Range(200, 8).Select(seed => (look, seed))).ToList();
        var a = new List<float[]>(); var b = new List<float[]>();
        foreach (var (look, seed) in clips)
        {
            string video = Path.Combine(_dir, $"{look}-{seed}.mp4");
            Renderer.RenderVideo(ResNet18Int8Model.Seeded(DemoVideo.Filter(look, seed, 10), seed), video);
            var frames = FrameDecoder.Decode(video, 2, 224, 224).ToList();
            a.Add(Mean(fp32.Embed(frames))); b.Add(Mean(int8.Embed(frames)));
        }
        var cosines = a.Zip(b, TestImages.Cosine).ToList();
        log.WriteLine($"segment means, cosine int8 vs fp32: min {cosines.Min():F5}, mean {cosines.Average():F5}");
        Assert.All(cosines, c => Assert.True(c >= 0.99, $"cosine {c}"));

        // each clip as a query against the fp32 means of all clips: fp32 or int8 query, nearly the same ten nearest
        // (places 9 and 10 are clips of other looks, near ties between them)
        int sameSet = 0, sameOrder = 0;
        for (int q = 0; q < clips.Count; q++)
        {
            var top32 = Top10(a[q], a); var top8 = Top10(b[q], a);
            Assert.True(top32.Intersect(top8).Count() >= 9, $"clip {q}: top-10 fp32 {string.Join(",", top32)}, int8 {string.Join(",", top8)}");
            if (top32.Order().SequenceEqual(top8.Order())) sameSet++;
            if (top32.SequenceEqual(top8)) sameOrder++;
        }
        log.WriteLine($"{clips.Count} queries: top-10 >= 9 shared for all, same set for {sameSet}, same order for {sameOrder}");
    }

    static int[] Top10(float[] query, List<float[]> catalog) =>
        Enumerable.Range(0, catalog.Count).OrderByDescending(i => TestImages.Cosine(query, catalog[i])).Take(10).ToArray();

    static float[] Mean(float[][] rows)
    {
        var m = new float[rows[0].Length];
        foreach (var r in rows) for (int i = 0; i < m.Length; i++) m[i] += r[i] / rows.Length;
        return m;
    }
}
