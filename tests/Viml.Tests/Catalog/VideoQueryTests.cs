using Viml.Catalog;
using Viml.Encoders;
using Viml.Media;

namespace Viml.Tests.Catalog;

public class VideoQueryTests
{
    [Fact]
    public void Sampling_keeps_short_videos_whole_and_spreads_long_ones()
    {
        Assert.Equal(Enumerable.Range(0, 5), VideoQuery.Sample(5));
        Assert.Equal(Enumerable.Range(0, 18), VideoQuery.Sample(18));
        var s = VideoQuery.Sample(720);           // a 2-hour film
        Assert.Equal(18, s.Length);
        Assert.Equal(0, s[0]);
        Assert.Equal(719, s[^1]);
        var gaps = s.Zip(s.Skip(1), (a, b) => b - a).ToArray();
        Assert.All(gaps, g => Assert.InRange(g, 42, 43));
        Assert.Equal(s.Length, s.Distinct().Count());
    }

    [Fact]
    public void A_long_video_is_embedded_from_18_sampled_segments_and_text_only_uses_the_text_branch()
    {
        var dir = Directory.CreateTempSubdirectory("viml-query-").FullName;
        try
        {
            var video = Path.Combine(dir, "long.mp4");
            TestParts.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=32x24:rate=2:duration=195", "-pix_fmt", "yuv420p", video);
            var q = new VideoQuery(TestParts.Query(textOnly: true));
            var e = q.Embed(video, null);
            Assert.Equal(18, e.VideoSegments);
            Assert.Equal(20, e.SampledFrom);      // 19 full segments + a 5-s tail
            Assert.False(e.TextUsed);
            Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm<float>(e.Vector), 3);
            // the text steers the fused query
            var clip = TestParts.Video(Path.Combine(dir, "short.mp4"), 6);
            e = q.Embed(clip, "");
            Assert.Equal(1, e.VideoSegments);
            var withText = q.Embed(clip, "calm strings");
            Assert.True(withText.TextUsed);
            Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity<float>(e.Vector, withText.Vector) < 0.9999f);
            // text only: no frames decoded, the text branch answers
            var t = q.Embed(null, "calm strings");
            Assert.Equal(0, t.VideoSegments);
            Assert.Equal(TimeSpan.Zero, t.Timings.Decode);
            Assert.Throws<InvalidInputException>(() => q.Embed(null, "  "));
            Assert.Throws<InvalidInputException>(() => new VideoQuery(TestParts.Query()).Embed(null, "calm"));
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Decoding runs ahead on its own thread: the segment means must still be the serial ones, frame for frame.</summary>
    [Fact]
    public void Overlapped_decoding_gives_the_serial_segment_means()
    {
        var dir = Directory.CreateTempSubdirectory("viml-query-").FullName;
        try
        {
            // 25 s with the picture changing over time: three segments (10, 10, 5) with different means
            var video = Path.Combine(dir, "v.mp4");
            TestParts.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=25", "-vf", "hue=h=t*14", "-pix_fmt", "yuv420p", video);
            var parts = TestParts.Query();
            var got = new VideoQuery(parts).Embed(video, null);
            Assert.Equal(3, got.VideoSegments);

            var enc = new StatsFrameEncoder();
            var segs = TestParts.Split(0, Viml.Media.MediaProbe.Probe(video).Duration, video);
            var sums = segs.Select(_ => new float[StatsFrameEncoder.Size]).ToArray();
            var counts = new int[segs.Count];
            int k = 0;
            foreach (var f in Viml.Media.FrameDecoder.Decode(video, parts.Fps, 32, 32, segs[0].Start, segs[^1].End))
            {
                double t = segs[0].Start + (k++ + 0.5) / parts.Fps;
                int s = 0;
                while (s < segs.Count - 1 && t >= segs[s].End) s++;
                var v = enc.Embed([f with { Pixels = f.Pixels.ToArray() }])[0];
                System.Numerics.Tensors.TensorPrimitives.Add(sums[s], v, sums[s]);
                counts[s]++;
            }
            Assert.True(k > 100, $"only {k} frames");
            var means = sums.Select((m, i) => m.Select(x => x / counts[i]).ToArray()).ToArray();
            Assert.True(System.Numerics.Tensors.TensorPrimitives.Distance<float>(means[0], means[2]) > 0.01f, "segments should differ");
            var want = parts.Model.EmbedQuery(means, null);
            for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got.Vector[i], 5);
        }
        finally { Directory.Delete(dir, true); }
    }

    sealed class FailingFrameEncoder : IFrameEncoder
    {
        int _calls;
        public string Name => "failing"; public int Dimension => StatsFrameEncoder.Size; public int InputWidth => 32; public int InputHeight => 32;
        public float[][] Embed(IReadOnlyList<RgbFrame> frames) =>
            ++_calls == 2 ? throw new InvalidOperationException("encoder failed on batch 2") : new StatsFrameEncoder().Embed(frames);
        public void Dispose() { }
    }

    [Fact]
    public void An_encoder_error_stops_decoding_and_is_the_error_reported()
    {
        var dir = Directory.CreateTempSubdirectory("viml-query-").FullName;
        try
        {
            var video = TestParts.Video(Path.Combine(dir, "v.mp4"), 60);
            var parts = TestParts.Query() with { Frames = new FailingFrameEncoder() };
            var e = Assert.Throws<InvalidOperationException>(() => new VideoQuery(parts).Embed(video, null));
            Assert.Contains("batch 2", e.Message);
            // a corrupt file: the decoding side's error, naming the file
            var bad = Path.Combine(dir, "bad.mp4");
            var bytes = File.ReadAllBytes(video);
            File.WriteAllBytes(bad, bytes[..(bytes.Length / 3)]);
            var m = Assert.ThrowsAny<VimlException>(() => new VideoQuery(TestParts.Query()).Embed(bad, null));
            Assert.Contains("bad.mp4", m.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_model_trained_on_other_encoders_is_refused_naming_both()
    {
        var recorded = new Dictionary<string, string> { [Viml.Model.EncoderNames.Video] = "clip-vit-b32", [Viml.Model.EncoderNames.Text] = "hash-text-test" };
        var parts = TestParts.Query() with { Model = new ProjectionModel(1) { BaseEncoders = recorded } };
        var e = Assert.Throws<InvalidInputException>(() => new VideoQuery(parts));
        Assert.Contains("clip-vit-b32", e.Message);
        Assert.Contains("frame-stats-test", e.Message);
        Assert.Contains("--frame-encoder", e.Message);
        // the same names pass; a checkpoint that recorded none (made before names were kept) is not checked
        recorded[Viml.Model.EncoderNames.Video] = "frame-stats-test";
        _ = new VideoQuery(parts with { Model = new ProjectionModel(1) { BaseEncoders = recorded } });
        _ = new VideoQuery(TestParts.Query());
        // ingest checks the music encoder the same way
        var ingest = TestParts.Create() with { Model = new ProjectionModel(1) { BaseEncoders = new Dictionary<string, string> { [Viml.Model.EncoderNames.Music] = "musicnn" } } };
        var dir = Directory.CreateTempSubdirectory("viml-query-").FullName;
        try
        {
            var cat = MusicCatalog.OpenOrCreate(dir, CatalogIngest.InfoFor(ingest));
            var m = Assert.Throws<InvalidInputException>(() => new CatalogIngest(cat, ingest));
            Assert.Contains("musicnn", m.Message);
        }
        finally { Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); Directory.Delete(dir, true); }
    }
}
