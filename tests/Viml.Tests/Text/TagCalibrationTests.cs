using Viml.Text;

namespace Viml.Tests.Text;

public class TagCalibrationTests
{
    static readonly string[] Names = ["msd:genre:electronic", "mtt:genre:electronic", "jamendo:genre:electronic", "mtt:instrument:piano"];

    static string[] Kept(TagCalibration calibration, params float[] confidences) =>
        new TagReader(Names, new TagSelection(0.3), calibration: calibration).ReadPooled(confidences).Attributes.Select(a => a.Name).Order().ToArray();

    [Fact]
    public void A_genre_one_tagger_names_alone_is_not_kept_when_two_must_agree()
    {
        var calibration = new TagCalibration(new Dictionary<(string, string), double> { [("mtt", "piano")] = 0.6 }, genreVotes: 2);
        Assert.Empty(Kept(calibration, 0.8f, 0.1f, 0.1f, 0.5f));
        Assert.Equal(["electronic", "piano"], Kept(calibration, 0.8f, 0.4f, 0.1f, 0.7f));
    }

    [Fact]
    public void Without_calibration_every_column_is_kept_at_the_selection_threshold()
    {
        Assert.Equal(["electronic", "piano"], Kept(TagCalibration.None, 0.8f, 0.1f, 0.1f, 0.5f));
        Assert.Empty(Kept(TagCalibration.None, 0.29f, 0.1f, 0.1f, 0.2f));
    }

    [Fact]
    public void A_column_with_its_own_threshold_ignores_the_selection_threshold()
    {
        var calibration = new TagCalibration(new Dictionary<(string, string), double> { [("msd", "electronic")] = 0.9 }, genreVotes: 1);
        Assert.Empty(Kept(calibration, 0.8f, 0.1f, 0.1f, 0.1f));
        Assert.Equal(["electronic"], Kept(calibration, 0.95f, 0.1f, 0.1f, 0.1f));
    }

    [Fact]
    public void The_thresholds_file_reads_back_what_was_written_and_names_a_bad_row()
    {
        var c = new TagCalibration(new Dictionary<(string, string), double> { [("mtt", "piano")] = 0.45, [("msd", "jazz")] = 0.2 }, 2);
        var back = TagCalibration.Parse(c.ToTsv("fitted by a test"));
        Assert.Equal(2, back.GenreVotes);
        Assert.Equal(0.45, back.ThresholdOf("mtt", "piano"));
        Assert.Null(back.ThresholdOf("msd", "rock"));
        var e = Assert.Throws<ConfigException>(() => TagCalibration.Parse("model\ttag\tthreshold\nmsd\trock\tlots\n"));
        Assert.Contains("msd\trock\tlots", e.Message);
        Assert.Throws<ConfigException>(() => new TagCalibration(new Dictionary<(string, string), double> { [("msd", "rock")] = 1.5 }, 1));
    }

    [Fact]
    public void The_shipped_thresholds_load()
    {
        var shipped = TagCalibration.Shipped;
        Assert.InRange(shipped.GenreVotes, 1, 3);
        Assert.All(shipped.Thresholds.Values, t => Assert.InRange(t, 0.01, 1));
    }
}
