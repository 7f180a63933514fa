using TorchSharp;
using Viml.Catalog;
using Viml.Encoders;
using Viml.Model;
using Viml.Torch;

namespace Viml.Tests.Catalog;

/// <summary>The catalog and recommend with the real parts: ffmpeg, musicnn, ResNet18, MiniLM and a (freshly initialised) ViML checkpoint.</summary>
public class RealPartsE2ETests
{
    static string SaveCheckpoint(string dir, int seed, Variant variant = Variant.Viml)
    {
        TorchRuntime.Initialise();
        torch.manual_seed(seed);
        using var m = new VimlModel(new ModelConfig { Variant = variant, Dimension = 64, Layers = 1, Heads = 4, FeedForward = 128, FusionHidden = 128 });
        Checkpoint.Save(dir, m);
        return dir;
    }

    [Fact]
    [Trait("Category", "E2E")]
    public void Catalog_add_recommend_and_reembed_with_the_real_encoders()
    {
        var root = Directory.CreateTempSubdirectory("viml-real-").FullName;
        try
        {
            var lib = ToneLibrary.Write(Path.Combine(root, "music"));
            var video = TestParts.Video(Path.Combine(root, "v.mp4"), 25);
            var ck1 = SaveCheckpoint(Path.Combine(root, "ck1"), 1);
            var ck2 = SaveCheckpoint(Path.Combine(root, "ck2"), 2);
            var catDir = Path.Combine(root, "catalog");

            using (var model = new TrainedCatalogModel(ck1))
            using (var music = new MusicnnEncoder())
            {
                Assert.Equal(model.Id, TrainedCatalogModel.IdOf(ck1));
                Assert.NotEqual(model.Id, TrainedCatalogModel.IdOf(ck2));
                var parts = CatalogParts.Ingest(model, music);
                var cat = MusicCatalog.OpenOrCreate(catDir, CatalogIngest.InfoFor(parts));
                var report = new CatalogIngest(cat, parts).Add(CatalogIngest.FindAudio([lib]));
                Assert.Equal(ToneLibrary.Tracks, report.Count(IngestOutcome.Added));
                Assert.Equal(ToneLibrary.Segments, cat.CountSegments());
                Assert.Equal(600, cat.Info.MusicDimension);
                Assert.Equal(150, cat.Info.TagNames.Count);

                using var frames = new ResNet18FrameEncoder();
                using var text = new MiniLmTextEncoder();
                using var service = new RecommendService(cat, CatalogParts.Query(model, frames, text, fps: 2));
                var r = service.Recommend(video, "a calm piano piece", new RecommendOptions(Top: 3));
                Assert.Equal(3, r.Items.Count);
                Assert.Equal(3, r.Query.VideoSegments);          // 25 s -> 10 + 10 + a 5-s tail
                Assert.True(r.Items[0].Score >= r.Items[1].Score && r.Items[1].Score >= r.Items[2].Score);
                Assert.All(r.Items, x => Assert.InRange(x.SegmentEnd, x.SegmentStart + 1, x.Track.Metadata.Duration + 0.1));
                // the scores are the model's cosines: the best of every stored segment vector is the first result
                var (keys, matrix, _) = cat.SegmentVectors();
                var cos = Enumerable.Range(0, keys.Length).Select(i => System.Numerics.Tensors.TensorPrimitives.Dot<float>(matrix.AsSpan(i * 64, 64), r.Query.Vector)).ToArray();
                Assert.Equal(cos.Max(), r.Items[0].Score, 4);
                Assert.Equal(64, r.Query.Vector.Length);
                var videoOnly = service.Recommend(video, "", new RecommendOptions(Top: 3));
                Assert.False(videoOnly.Query.TextUsed);
                Assert.Throws<InvalidInputException>(() => service.Recommend(null, "calm piano", new RecommendOptions()));
            }

            // a new checkpoint: stale until re-embedded, then current; nothing decoded
            using (var model2 = new TrainedCatalogModel(ck2))
            {
                var cat = MusicCatalog.Open(catDir);
                using var frames = new ResNet18FrameEncoder();
                using var text = new MiniLmTextEncoder();
                Assert.Throws<StaleCatalogException>(() => new RecommendService(cat, CatalogParts.Query(model2, frames, text)));
                var parts = new IngestParts(new NoAudio(), new MusicnnEncoder(), model2);
                var re = new CatalogIngest(cat, parts, adoptModel: true).Reembed();
                Assert.Equal(3, re.Count(IngestOutcome.Replaced));
                using var service = new RecommendService(cat, CatalogParts.Query(model2, frames, text, fps: 2));
                Assert.Equal(3, service.Recommend(video, null, new RecommendOptions(Top: 5)).Items.Count);
            }
        }
        finally { Directory.Delete(root, true); }
    }
}
