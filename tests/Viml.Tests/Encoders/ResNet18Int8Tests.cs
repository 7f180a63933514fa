using Viml.Encoders;
using Viml.Media;
using Viml.Synthetic;
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
        // every clip >= 0.99 (measured: min 0.9986, mean 0.9991; docs/encoders.md)
        Assert.True(cosines.Average() >= 0.995, $"mean cosine {cosines.Average()}");
        Assert.All(cosines, c => Assert.True(c >= 0.99, $"cosine {c}"));

        // each clip as a query against the fp32 means of all clips, fp32 query or int8 query: the 8 nearest (the clips of
        // the query's look) are the same; places 9 and 10 are near ties between clips of other looks, counted only
        int sameTop8 = 0, sameTop10 = 0, sameOrder = 0;
        for (int q = 0; q < clips.Count; q++)
        {
            var fromFp32 = Top10(a[q], a); var fromInt8 = Top10(b[q], a);
            Assert.True(fromFp32[..8].Order().SequenceEqual(fromInt8[..8].Order()),
                $"clip {q}: top-10 fp32 {string.Join(",", fromFp32)}, int8 {string.Join(",", fromInt8)}");
            sameTop8++;
            if (fromFp32.Order().SequenceEqual(fromInt8.Order())) sameTop10++;
            if (fromFp32.SequenceEqual(fromInt8)) sameOrder++;
        }
        log.WriteLine($"{clips.Count} queries: same top-8 {sameTop8}, same top-10 set {sameTop10}, same top-10 order {sameOrder}");
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
