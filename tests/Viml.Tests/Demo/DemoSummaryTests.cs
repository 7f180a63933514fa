using Viml.Demo;

namespace Viml.Tests.Demo;

public class DemoSummaryTests
{
    static List<string> Ranking(params string[] names) => names.Select(n => $"/m/{n}").ToList();

    [Fact]
    public void A_tracks_style_is_the_start_of_its_file_name()
    {
        Assert.Equal("jazz", DemoSummary.StyleOf("/x/catalog-music/jazz 02.ogg"));
        Assert.Equal("piano-ballad", DemoSummary.StyleOf("piano-ballad 01.mp3"));
        Assert.Null(DemoSummary.StyleOf("/x/holiday.mp3"));
    }

    [Fact]
    public void The_summary_reports_where_each_style_landed_and_which_way_the_sentence_moved_it()
    {
        var alone = Ranking("folk 01.mp3", "folk 02.mp3", "jazz 01.ogg", "folk 03.wav", "jazz 02.ogg", "jazz 03.flac", "rock 01.mp3");
        var jazzFirst = Ranking("jazz 02.ogg", "jazz 01.ogg", "jazz 03.flac", "folk 01.mp3", "folk 02.mp3", "folk 03.wav", "rock 01.mp3");
        var lines = DemoSummary.Describe("sunny", alone, [("a jazz tune", jazzFirst), ("the same", alone)], top: 3);

        Assert.Equal(3, lines.Count);
        Assert.Contains("top 3 = 2 folk, 1 jazz", lines[0]);
        Assert.Contains("folk at 1 2 4, jazz at 3 5 6", lines[0]);
        Assert.Contains("top 3 = 3 jazz", lines[1]);
        Assert.Contains("jazz at 1 2 3 (was 3 5 6)", lines[1]);
        Assert.Contains("moved up jazz (mean rank 4.7 -> 2.0); down folk (mean rank 2.3 -> 5.0)", lines[1]);
        Assert.Contains("left the ranking about as it was", lines[2]);
        Assert.DoesNotContain("moved up", lines[2]);
    }

    [Fact]
    public void A_change_under_one_place_is_not_claimed_as_a_move()
    {
        var alone = Ranking("folk 01.mp3", "jazz 01.ogg", "folk 02.mp3", "jazz 02.ogg");
        var swapped = Ranking("jazz 01.ogg", "folk 01.mp3", "folk 02.mp3", "jazz 02.ogg");   // jazz 3.0 -> 2.5
        var lines = DemoSummary.Describe("sunny", alone, [("a jazz tune", swapped)], top: 2);
        Assert.Contains("left the ranking about as it was", lines[1]);
    }
}
