using Viml.Features;
using Viml.Jobs;

namespace Viml.Tests.Jobs;

/// <summary>A features job carries everything its features depend on, so a worker cannot silently use other settings.</summary>
public class FeaturesJobTests
{
    [Fact]
    public void A_job_carries_the_frame_encoder_and_the_worker_is_asked_for_exactly_it()
    {
        var dir = Directory.CreateTempSubdirectory("viml-fjob-").FullName;
        try
        {
            string config = Path.Combine(dir, "clip.json");
            File.WriteAllText(config, "{}");
            var item = new ManifestItem("a", "clip.mp4");
            string relative = Path.GetRelativePath(Environment.CurrentDirectory, config);

            var input = FeaturesJob.Read(FeaturesJob.Create(item, Path.Combine(dir, "store"), 2, relative));
            Assert.Equal(FeatureSpec.Paper with { Fps = 2, FrameEncoder = config, TextEncoder = null }, input.Settings);   // made absolute for the workers
            Assert.Equal("resnet18", FeaturesJob.Read(FeaturesJob.Create(item, "store", 6, "ResNet18")).Settings.FrameEncoder);
            // a job queued before the encoder was carried means the default
            var old = new Job(FeaturesJob.Kind, "a", """{"item": {"id": "a", "video": "/v.mp4"}, "store": "/s", "fps": 6}""");
            Assert.Equal(FeatureSpec.Paper with { TextEncoder = null }, FeaturesJob.Read(old).Settings);
            // an encoder that does not exist is refused before anything is queued
            Assert.Throws<ConfigException>(() => FeaturesJob.Create(item, "store", 6, Path.Combine(dir, "none.json")));

            FeatureSpec? asked = null;
            var handler = FeaturesJob.Handler(s => { asked = s; throw new ConfigException($"{s.FrameEncoder}: not on this worker"); });
            var e = Assert.Throws<ConfigException>(() => handler(FeaturesJob.Create(item, Path.Combine(dir, "store"), 2, config), default));
            Assert.Equal(config, asked!.FrameEncoder);
            Assert.Contains("not on this worker", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
