using System.Text.Json;
using Viml.Features;
using Viml.Tests.Media;

namespace Viml.Tests.Features;

public sealed class ExtractorTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-features-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    static Extractor NewExtractor(ExtractorOptions? o = null) => new(new MeanColourEncoder(), new BandRmsEncoder(), o);

    /// <summary>Records every report on the calling thread (Progress&lt;T&gt; would post them elsewhere).</summary>
    sealed class Recorder : IProgress<ExtractionProgress>
    {
        public readonly List<ExtractionProgress> Reports = [];
        public void Report(ExtractionProgress value) => Reports.Add(value);
    }

    (FeatureStore Store, ExtractionReport Report) Run(IReadOnlyList<ManifestItem> items, Extractor? x = null, IProgress<ExtractionProgress>? progress = null)
    {
        x ??= NewExtractor();
        var store = FeatureStore.OpenOrCreate(Path.Combine(_dir, "store"), x.StoreInfo);
        return (store, x.Run(items, store, progress));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Each_segment_gets_the_mean_of_its_frames_and_its_own_music(bool musicAlongsideFrames)
    {
        // red 0-10 s / blue 10-20 s / green 20-25 s; 440 Hz / silence / 3 kHz
        // audio chunks of 2 segments: the item's music comes in two pieces, interleaved with its frames or after them
        var x = NewExtractor(new ExtractorOptions(AudioChunkSegments: 2, MusicAlongsideFrames: musicAlongsideFrames));
        var (store, report) = Run([new ManifestItem("colours", MediaCorpus.Colours)], x);
        Assert.Empty(report.Failures);
        Assert.Equal(1, report.Extracted);
        Assert.Equal(150, report.Frames); // 25 s at 6 fps
        Assert.Equal(25, report.MediaSeconds, 3);

        var item = store.Read("colours");
        Assert.Equal([0.0, 10, 20], item.SegmentStarts);
        AssertColour(item.Video[0], red: true);
        AssertColour(item.Video[1], blue: true);
        Assert.True(item.Video[2][1] > 0.4 && item.Video[2][0] < 0.1 && item.Video[2][2] < 0.1, $"segment 3 is green: {Show(item.Video[2])}");

        var (low, high, loud) = (Tag(store, "test:pitch:low"), Tag(store, "test:pitch:high"), Tag(store, "test:loudness:loud"));
        Assert.True(item.Tags[0][low] > 0.9, $"440 Hz is low: {Show(item.Tags[0])}");
        Assert.True(item.Tags[2][high] > 0.9, $"3 kHz is high: {Show(item.Tags[2])}");
        Assert.True(item.Music[1][3] < 0.005, $"10-20 s is silent: {Show(item.Music[1])}");
        Assert.True(item.Music[0][3] > 0.1 && item.Music[2][3] > 0.1, $"the tones are loud: {Show(item.Music[0])} {Show(item.Music[2])}");
        Assert.True(item.Tags[0][loud] > 0.99 && item.Tags[1][loud] < 0.1);
        Assert.Equal(MediaCorpus.Colours, item.Source["video"]);
        Assert.Equal("25", item.Source["end"]);
    }

    [Fact]
    public void Start_and_end_clip_the_item_and_segments_keep_file_times()
    {
        var (store, report) = Run([new ManifestItem("clip", MediaCorpus.Colours, Start: 10, End: 25)]);
        Assert.Empty(report.Failures);
        var item = store.Read("clip");
        Assert.Equal([10.0, 20], item.SegmentStarts);
        AssertColour(item.Video[0], blue: true);
        Assert.True(item.Music[0][3] < 0.005, "10-20 s is silent");
        Assert.Equal(90, report.Frames); // 15 s at 6 fps
    }

    [Fact]
    public void A_separate_audio_file_gives_the_music_and_the_shorter_file_sets_the_end()
    {
        // a 3-s silent video with a 25-s 1-kHz song: one 3-s segment, music from the song
        var (store, report) = Run([new ManifestItem("pair", MediaCorpus.VideoOnly, Audio: MediaCorpus.Song)]);
        Assert.Empty(report.Failures);
        var item = store.Read("pair");
        Assert.Equal([0.0], item.SegmentStarts);
        Assert.True(item.Music[0][1] > 10 * Math.Max(item.Music[0][0], item.Music[0][2]), $"1 kHz sits in the middle band: {Show(item.Music[0])}");
        Assert.Equal(MediaCorpus.Song, item.Source["audio"]);
        Assert.Equal(18, report.Frames);
    }

    [Fact]
    public void Audio_that_stops_early_leaves_the_later_segments_silent()
    {
        var (store, report) = Run([new ManifestItem("early", MediaCorpus.AudioEndsEarly)]);
        Assert.Empty(report.Failures);
        var item = store.Read("early");
        Assert.Equal([0.0, 10, 20], item.SegmentStarts);
        Assert.True(item.Music[0][3] > 0.01, $"0-10 s holds 5 s of tone: {Show(item.Music[0])}");
        Assert.Equal(0f, item.Music[1][3]);
        Assert.Equal(0f, item.Music[2][3]);
    }

    [Fact]
    public void Fps_is_configurable_and_recorded_in_the_store()
    {
        var (store, report) = Run([new ManifestItem("c", MediaCorpus.Colours, End: 20)], NewExtractor(new ExtractorOptions(Fps: 2)));
        Assert.Equal(40, report.Frames);
        Assert.Equal(2, FeatureStore.Open(store.Root).Info.Fps);
        Assert.Equal(["test:loudness:loud", "test:pitch:low", "test:pitch:high"], store.Info.TagNames);
    }

    [Fact]
    public void Bad_items_are_reported_and_every_good_item_is_extracted()
    {
        var bad = new (ManifestItem Item, string File, string Problem)[]
        {
            (new("missing", MediaCorpus.Missing), MediaCorpus.Missing, "does not exist"),
            (new("zero", MediaCorpus.ZeroBytes), MediaCorpus.ZeroBytes, "empty file"),
            (new("random", MediaCorpus.RandomBytes), MediaCorpus.RandomBytes, "truncated or corrupt"),
            (new("truncated", MediaCorpus.Truncated), MediaCorpus.Truncated, "moov atom not found"),
            (new("truncated-faststart", MediaCorpus.TruncatedFastStart), MediaCorpus.TruncatedFastStart, "truncated or corrupt: "),
            (new("no-audio", MediaCorpus.VideoOnly), MediaCorpus.VideoOnly, "no audio stream"),
            (new("no-video", MediaCorpus.AudioOnly, Audio: MediaCorpus.MusicVideo), MediaCorpus.AudioOnly, "no video stream"),
            (new("one-pixel", MediaCorpus.OnePixel), MediaCorpus.OnePixel, "frame size 1x1 is below"),
            (new("huge", MediaCorpus.Huge), MediaCorpus.Huge, "frame size 8000x8000 exceeds"),
            (new("short", MediaCorpus.TooShort), MediaCorpus.TooShort, "too short"),
            (new("song-missing", MediaCorpus.MusicVideo, Audio: MediaCorpus.Missing), MediaCorpus.Missing, "does not exist"),
            (new("past-end", MediaCorpus.MusicVideo, Start: 30), MediaCorpus.MusicVideo, "start 30 s is past the end"),
        };
        var good = new[] { new ManifestItem("colours", MediaCorpus.Colours), new ManifestItem("av", MediaCorpus.MusicVideo) };
        var items = new List<ManifestItem> { good[0] };
        items.AddRange(bad.Select(b => b.Item));
        items.Add(good[1]);

        var (store, report) = Run(items);
        Assert.Equal(2, report.Extracted);
        Assert.True(store.Contains("colours") && store.Contains("av"));
        Assert.Equal(2, store.Count);
        Assert.Equal(bad.Length, report.Failures.Count);
        foreach (var (b, f) in bad.Zip(report.Failures))
        {
            Assert.Equal(b.Item.Id, f.Id);
            Assert.Equal(b.File, f.File);
            Assert.Contains(b.Problem, f.Problem);
        }
        Assert.Empty(Directory.EnumerateFiles(store.Root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_second_run_skips_what_the_first_extracted_and_progress_reaches_the_total()
    {
        var items = new[] { new ManifestItem("a", MediaCorpus.MusicVideo), new ManifestItem("b", MediaCorpus.MusicVideo, Start: 1) };
        var (store, first) = Run(items[..1]);
        Assert.Equal(1, first.Extracted);
        var written = File.GetLastWriteTimeUtc(Directory.GetFiles(Path.Combine(store.Root, "items")).Single());

        var progress = new Recorder();
        var x = NewExtractor();
        var (_, second) = Run(items, x, progress);
        Assert.Equal((1, 1), (second.Skipped, second.Extracted));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Directory.GetFiles(Path.Combine(store.Root, "items")).Single(f => f.Contains("/a-"))));
        Assert.Equal(2, store.Count);
        var last = progress.Reports[^1];
        Assert.Equal((2, 2, 1, 1, 0), (last.Total, last.Finished, last.Extracted, last.Skipped, last.Failed));
        for (int i = 1; i < progress.Reports.Count; i++) Assert.True(progress.Reports[i].Value >= progress.Reports[i - 1].Value);

        var (_, third) = Run(items, x);
        Assert.Equal((2, 0), (third.Skipped, third.Extracted));
    }

    [Fact]
    public void Cancelling_leaves_only_whole_items()
    {
        using var cts = new CancellationTokenSource();
        var x = NewExtractor();
        var store = FeatureStore.OpenOrCreate(Path.Combine(_dir, "store"), x.StoreInfo);
        var progress = new CancelAfterFirst(cts);
        var items = Enumerable.Range(0, 5).Select(i => new ManifestItem($"c{i}", MediaCorpus.Colours)).ToList();
        Assert.ThrowsAny<OperationCanceledException>(() => x.Run(items, store, progress, cts.Token));
        Assert.InRange(store.Count, 1, 2);
        Assert.All(store.ReadAll(), it => Assert.Equal(3, it.Segments));
        Assert.Empty(Directory.EnumerateFiles(store.Root, "*.tmp", SearchOption.AllDirectories));
    }

    sealed class CancelAfterFirst(CancellationTokenSource cts) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value) { if (value.Extracted == 1) cts.Cancel(); }
    }

    [Fact]
    public void Extract_one_item_throws_naming_the_file()
    {
        var e = Assert.Throws<MediaException>(() => NewExtractor().Extract(new ManifestItem("x", MediaCorpus.VideoOnly)));
        Assert.Equal($"{MediaCorpus.VideoOnly}: no audio stream", e.Message);
        Assert.Equal(3, NewExtractor().Extract(new ManifestItem("y", MediaCorpus.Colours)).Segments);
    }

    [Fact]
    public void A_store_made_with_other_settings_is_refused()
    {
        Run([new ManifestItem("a", MediaCorpus.MusicVideo)]);
        var other = NewExtractor(new ExtractorOptions(Fps: 3));
        Assert.Throws<InvalidInputException>(() => FeatureStore.OpenOrCreate(Path.Combine(_dir, "store"), other.StoreInfo));
    }

    static void AssertColour(float[] rgb, bool red = false, bool blue = false)
    {
        if (red) Assert.True(rgb[0] > 0.8 && rgb[1] < 0.15 && rgb[2] < 0.15, $"red: {Show(rgb)}");
        if (blue) Assert.True(rgb[2] > 0.8 && rgb[0] < 0.15 && rgb[1] < 0.15, $"blue: {Show(rgb)}");
    }

    static int Tag(FeatureStore s, string name) => s.Info.TagNames.ToList().IndexOf(name) is var i and >= 0 ? i : throw new KeyNotFoundException(name);
    static string Show(float[] v) => string.Join(", ", v.Select(x => x.ToString("0.###")));
}

public sealed class ManifestTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("viml-manifest-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    string Write(params string[] lines)
    {
        string p = Path.Combine(_dir, "m.jsonl");
        File.WriteAllLines(p, lines);
        return p;
    }

    [Fact]
    public void Reads_items_and_resolves_relative_paths_against_the_manifest_folder()
    {
        var items = Manifest.Read(Write(
            """{"id": "a", "video": "videos/a.mp4"}""",
            "",
            """{"id": "b", "video": "/abs/b.mp4", "audio": "../music/b.wav", "start": 12.5, "end": 40}"""));
        Assert.Equal(2, items.Count);
        Assert.Equal(Path.Combine(_dir, "videos", "a.mp4"), items[0].Video);
        Assert.Null(items[0].Audio);
        Assert.Equal(items[0].Video, items[0].AudioPath);
        Assert.Equal("/abs/b.mp4", items[1].Video);
        Assert.Equal(Path.GetFullPath(Path.Combine(_dir, "..", "music", "b.wav")), items[1].Audio);
        Assert.Equal((12.5, 40.0), (items[1].Start, items[1].End));
    }

    [Theory]
    [InlineData("""{"id": "a", "video": "a.mp4"}|{"id": "a", "video": "b.mp4"}""", ":2: duplicate id \"a\" (first on line 1)")]
    [InlineData("""{"id": "a", "vidoe": "a.mp4"}""", ":1: unknown field \"vidoe\"")]
    [InlineData("""{"video": "a.mp4"}""", ":1: missing \"id\"")]
    [InlineData("""{"id": "a"}""", ":1: missing \"video\"")]
    [InlineData("""{"id": "a", "video": "a.mp4"}|{"id": "b", "video": "b.mp4", "start": "x"}""", ":2: \"start\" must be a number")]
    [InlineData("""{"id": "a", "video": "a.mp4", "start": 5, "end": 3}""", ":1: \"end\" (3) is not after \"start\" (5)")]
    [InlineData("""{"id": "a", "video": "a.mp4",""", ":1: not a JSON object")]
    [InlineData("""["a.mp4"]""", ":1: not a JSON object")]
    public void Malformed_lines_are_errors_naming_the_line(string lines, string message)
    {
        string path = Write(lines.Split('|'));
        var e = Assert.Throws<InvalidInputException>(() => Manifest.Read(path));
        Assert.StartsWith(path + message, e.Message);
    }

    [Fact]
    public void Missing_and_empty_manifests_are_errors()
    {
        Assert.Contains("manifest does not exist", Assert.Throws<InvalidInputException>(() => Manifest.Read(Path.Combine(_dir, "none.jsonl"))).Message);
        Assert.Contains("lists no items", Assert.Throws<InvalidInputException>(() => Manifest.Read(Write("", "  "))).Message);
    }
}
