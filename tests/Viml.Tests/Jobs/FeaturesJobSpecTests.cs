using Viml.Features;
using Viml.Jobs;
using Viml.Tests.Catalog;

namespace Viml.Tests.Jobs;

/// <summary>A features job carries the whole feature contract; a worker whose extractor would make other features
/// fails the job naming both values instead of writing them.</summary>
public class FeaturesJobSpecTests
{
    [Fact]
    public void A_job_carries_the_spec_and_a_worker_making_other_features_is_refused_naming_both()
    {
        var item = new ManifestItem("a", "clip.mp4");
        var wanted = FeatureSpec.Paper with { Fps = 3, SegmentSeconds = 5, TextEncoder = null };
        var job = FeaturesJob.Create(item, "store", wanted);
        Assert.Contains("\"spec\"", job.Input);
        Assert.Contains("\"segment_seconds\":5", job.Input);
        Assert.Equal(wanted, FeaturesJob.Read(job).Settings);

        // the worker builds what the job asks for, with its own music encoder: here not musicnn
        FeatureSpec? asked = null;
        var handler = FeaturesJob.Handler(s =>
        {
            asked = s;
            var options = new ExtractorOptions(Fps: s.Fps, SegmentSeconds: s.SegmentSeconds);
            return new Extractor(new StatsFrameEncoder(), new StatsEncoder(), options);
        });
        var e = Assert.Throws<InvalidInputException>(() => handler(job, default));
        Assert.Equal(5, asked!.SegmentSeconds);
        Assert.Contains("'musicnn'", e.Message);
        Assert.Contains("'stats-test'", e.Message);
        Assert.False(Directory.Exists("store"));   // nothing written
    }
}
