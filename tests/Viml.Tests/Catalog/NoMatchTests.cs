using Microsoft.Data.Sqlite;
using Viml.Catalog;

namespace Viml.Tests.Catalog;

public class NoMatchTests
{
    [Fact]
    public void An_empty_result_says_which_filter_matched_nothing()
    {
        string dir = Directory.CreateTempSubdirectory("viml-nomatch-").FullName;
        try
        {
            var parts = TestParts.Create();
            var cat = MusicCatalog.OpenOrCreate(Path.Combine(dir, "cat"), CatalogIngest.InfoFor(parts));
            Assert.Contains("holds no tracks", NoMatch.Explain(cat, new RecommendOptions()));
            new CatalogIngest(cat, parts).Add([TestParts.Tone(Path.Combine(dir, "a.wav"), 440, 3), TestParts.Tone(Path.Combine(dir, "b.wav"), 0, 12)]);

            string time = NoMatch.Explain(cat, new RecommendOptions(MinDuration: 500, MaxDuration: 600));
            Assert.Contains("no track lasts 500-600 s (the 2 tracks last 3-12 s)", time);
            string tag = NoMatch.Explain(cat, new RecommendOptions(Tags: ["polka"]));
            Assert.Contains("no track carries the tag 'polka'", tag);
            Assert.Throws<UsageException>(() => new RecommendOptions(MinDuration: double.NaN).Validate());
            Assert.Throws<UsageException>(() => new RecommendOptions(MaxDuration: double.PositiveInfinity).Validate());
            Assert.Equal(64, Viml.Cli.ExitCodes.For(Assert.Throws<UsageException>(() => new RecommendOptions(Top: 0).Validate())));
        }
        finally { SqliteConnection.ClearAllPools(); Directory.Delete(dir, true); }
    }
}
