using Microsoft.Data.Sqlite;
using Viml.Catalog;
using Viml.Rhythm;
using Viml.Tests.Rhythm;

namespace Viml.Tests.Catalog;

public class PaceRankingTests
{
    [Fact]
    public void The_suggested_start_is_near_the_best_segment_and_puts_a_bar_start_on_the_first_cut()
    {
        var bars = Enumerable.Range(0, 30).Select(k => 0.5 + 2.0 * k).ToArray();
        var r = new RhythmAnalysis(120, 0.8, bars, bars, [-20f], 0.5);
        double start = BestMoment.Start(r, preferred: 10, firstCut: 1.3, trackSeconds: 60);
        Assert.Equal(9.2, start, 6);
        Assert.Contains(bars, b => Math.Abs(b - (start + 1.3)) < 1e-9);
        Assert.Equal(10.5, BestMoment.Start(r, preferred: 10, firstCut: null, trackSeconds: 60), 6);
        Assert.Equal(10, BestMoment.Start(null, preferred: 10, firstCut: 1.3, trackSeconds: 60));
    }

    [Fact]
    public void A_fast_cut_busy_video_fits_fast_loud_music_and_a_still_one_slow_quiet_music()
    {
        var busy = new VideoPace(Enumerable.Range(1, 15).Select(k => k * 2.0).ToArray(), 30, 0.4, []);
        var still = new VideoPace([], 30, 0.01, []);
        Assert.True(PaceMatch.Fit(busy, 170, -12) > PaceMatch.Fit(busy, 66, -30) + 0.4);
        Assert.True(PaceMatch.Fit(still, 66, -30) > PaceMatch.Fit(still, 170, -12) + 0.4);
    }

    [Fact]
    public void Pace_and_tempo_filters_reorder_and_filter_the_ranked_tracks()
    {
        var dir = Directory.CreateTempSubdirectory("viml-pace-").FullName;
        try
        {
            string slow = Path.Combine(dir, "slow.wav"), fast = Path.Combine(dir, "fast.wav"), video = Path.Combine(dir, "v.mp4");
            foreach (var (file, bpm) in new[] { (slow, 66.0), (fast, 168.0) })
            {
                string raw = file + ".f32";
                var pcm = Clicks.Render(Clicks.Times(bpm, 12), 12);
                File.WriteAllBytes(raw, System.Runtime.InteropServices.MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray());
                TestParts.Ffmpeg("-f", "f32le", "-ar", Clicks.Rate.ToString(), "-ac", "1", "-i", raw, file);
            }
            string[] colours = ["red", "blue", "green", "yellow", "white", "purple", "orange", "cyan", "black", "pink"];
            string graph = string.Join(";", colours.Select((c, i) => $"color=c={c}:s=160x120:r=12:d=1[c{i}]"))
                + ";" + string.Concat(colours.Select((_, i) => $"[c{i}]")) + $"concat=n={colours.Length}:v=1:a=0[v]";
            TestParts.Ffmpeg("-filter_complex", graph, "-map", "[v]", "-pix_fmt", "yuv420p", video);

            var parts = TestParts.Create();
            var cat = MusicCatalog.OpenOrCreate(Path.Combine(dir, "cat"), CatalogIngest.InfoFor(parts));
            new CatalogIngest(cat, parts).Add([slow, fast]);
            using var service = new RecommendService(cat, TestParts.Query() with { Fps = 2 });
            var options = new RecommendOptions(Top: 2);

            var plain = service.Recommend(video, null, options, rhythm: new RhythmOptions(Pace: 0));
            var paced = service.Recommend(video, null, options, rhythm: new RhythmOptions(Pace: 10));
            Assert.InRange(paced.Query.Pace!.Cuts.Length, 8, 10);
            Assert.Equal("fast.wav", Path.GetFileName(paced.Items[0].Track.Path));
            Assert.True(paced.Rhythm[paced.Items[0].Track.Id].PaceFit > paced.Rhythm[paced.Items[1].Track.Id].PaceFit);
            Assert.Equal(plain.Items.Select(i => i.Score), plain.Items.Select(i => i.Score).OrderDescending());

            var onlySlow = service.Recommend(video, null, options, rhythm: new RhythmOptions(BpmMax: 100));
            Assert.Equal("slow.wav", Path.GetFileName(Assert.Single(onlySlow.Items).Track.Path));
            var start = onlySlow.Rhythm[onlySlow.Items[0].Track.Id].Start;
            double firstCut = onlySlow.Query.Pace!.FirstCut!.Value;
            Assert.Contains(onlySlow.Rhythm[onlySlow.Items[0].Track.Id].Downbeats, d => Math.Abs(d - (start + firstCut)) < 1e-6);
            Assert.Throws<InvalidInputException>(() => service.Recommend(video, null, options, rhythm: new RhythmOptions(BpmMin: 150, BpmMax: 100)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }
}
