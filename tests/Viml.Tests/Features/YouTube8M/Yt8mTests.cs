using Viml.Features;
using Viml.Features.YouTube8M;
using Viml.Tests.Cli;

namespace Viml.Tests.Features.YouTube8M;

public class Yt8mTests
{
    [Fact]
    public void Crc32C_matches_the_standard_check_value_and_a_table_implementation()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        var rng = new Random(5);
        foreach (int n in new[] { 0, 1, 7, 8, 9, 1000, 4099 })
        {
            var data = new byte[n];
            rng.NextBytes(data);
            Assert.Equal(Yt8mFiles.MaskedCrc(data), Crc32C.Masked(data));
        }
    }

    [Fact]
    public void Import_reads_back_ids_labels_and_segment_means()
    {
        using var dir = new TempDir();
        var videos = new[]
        {
            Yt8mFiles.Make("vidA", 25, new long[] { 1, 27 }),        // 10 + 10 + 5-s tail kept
            Yt8mFiles.Make("vidB", 14, new long[] { 27 }, seed: 3),  // 10, 4-s tail dropped
            Yt8mFiles.Make("vidC", 7, new long[] { 5 }, seed: 9),    // one short segment
        };
        Yt8mFiles.WriteTfRecord(dir["a.tfrecord"], videos.Select(Yt8mFiles.Serialize));

        var report = Yt8mImporter.Import(new[] { dir["a.tfrecord"] }, dir["store"]);
        Assert.Equal((3, 3, 0), (report.Records, report.Imported, report.Problems.Count));

        var store = FeatureStore.Open(dir["store"]);
        Assert.Equal(("yt8m-rgb", 1024, "yt8m-audio", 128, 0), (store.Info.VideoEncoder, store.Info.VideoDimension, store.Info.MusicEncoder, store.Info.MusicDimension, store.Info.TagNames.Count));
        var a = store.Read("vidA");
        Assert.Equal(new double[] { 0, 10, 20 }, a.SegmentStarts);
        Assert.Equal("1,27", a.Source["labels"]);
        Assert.All(a.Tags, row => Assert.Empty(row));
        // segment 1 covers seconds 10..19: rgb[t][d] = (7t + d) mod 256; for d = 3 that is 73, 80, ..., 136
        double expected = Enumerable.Range(10, 10).Average(t => Yt8mFiles.Dequantize((7 * t + 3) % 256));
        Assert.Equal(expected, a.Video[1][3], 5);
        // the 5-s tail: seconds 20..24, audio d = 100: (3t + 200) mod 256
        Assert.Equal(Enumerable.Range(20, 5).Average(t => Yt8mFiles.Dequantize((3 * t + 200) % 256)), a.Music[2][100], 5);
        Assert.Single(store.Read("vidB").Video);
        var c = store.Read("vidC");
        Assert.Single(c.Video);
        Assert.Equal(Enumerable.Range(0, 7).Average(t => Yt8mFiles.Dequantize((7 * t + 1023 + 9) % 256)), c.Video[0][1023], 5);
    }

    [Fact]
    public void Dequantize_maps_bytes_to_bucket_middles_in_minus_two_to_two()
    {
        Assert.Equal(-2 + 4.0 / 512, Yt8m.Dequantize(0), 6);
        Assert.Equal(2 + 4.0 / 512, Yt8m.Dequantize(255), 6);
    }

    [Fact]
    public void Label_filter_keeps_only_videos_with_a_listed_label()
    {
        using var dir = new TempDir();
        Yt8mFiles.WriteTfRecord(dir["a.tfrecord"], new[]
        {
            Yt8mFiles.Make("x", 12, new long[] { 1, 27 }), Yt8mFiles.Make("y", 12, new long[] { 2 }), Yt8mFiles.Make("z", 12, new long[] { 27 }),
        }.Select(Yt8mFiles.Serialize));
        var report = Yt8mImporter.Import(new[] { dir["a.tfrecord"] }, dir["store"], new HashSet<long> { 27 });
        Assert.Equal((2, 1), (report.Imported, report.FilteredOut));
        var store = FeatureStore.Open(dir["store"]);
        Assert.True(store.Contains("x") && store.Contains("z") && !store.Contains("y"));
    }

    [Fact]
    public void A_record_with_a_bad_data_checksum_is_reported_and_skipped_and_the_rest_is_read()
    {
        using var dir = new TempDir();
        var offsets = Yt8mFiles.WriteTfRecord(dir["a.tfrecord"], new[] { "r0", "r1", "r2" }.Select(id => Yt8mFiles.Serialize(Yt8mFiles.Make(id, 10, new long[] { 1 }))));
        var bytes = File.ReadAllBytes(dir["a.tfrecord"]);
        bytes[offsets[1] + 12 + 500] ^= 0x40;   // one bit inside record 1's data
        File.WriteAllBytes(dir["a.tfrecord"], bytes);

        var report = Yt8mImporter.Import(new[] { dir["a.tfrecord"] }, dir["store"]);
        Assert.Equal(2, report.Imported);
        var problem = Assert.Single(report.Problems);
        Assert.Contains("record 1", problem);
        Assert.Contains("checksum", problem);
        var store = FeatureStore.Open(dir["store"]);
        Assert.True(store.Contains("r0") && !store.Contains("r1") && store.Contains("r2"));
    }

    [Fact]
    public void A_truncated_file_keeps_the_whole_records_before_the_cut()
    {
        using var dir = new TempDir();
        var offsets = Yt8mFiles.WriteTfRecord(dir["a.tfrecord"], new[] { "r0", "r1", "r2" }.Select(id => Yt8mFiles.Serialize(Yt8mFiles.Make(id, 10, new long[] { 1 }))));
        var bytes = File.ReadAllBytes(dir["a.tfrecord"]);
        File.WriteAllBytes(dir["a.tfrecord"], bytes[..(int)(offsets[2] + 100)]);

        var report = Yt8mImporter.Import(new[] { dir["a.tfrecord"] }, dir["store"]);
        Assert.Equal(2, report.Imported);
        Assert.Contains("record 2", Assert.Single(report.Problems));
        Assert.Equal(2, FeatureStore.Open(dir["store"]).Count);
    }

    [Fact]
    public void A_second_import_skips_items_already_in_the_store()
    {
        using var dir = new TempDir();
        Yt8mFiles.WriteTfRecord(dir["a.tfrecord"], new[] { "a", "b" }.Select(id => Yt8mFiles.Serialize(Yt8mFiles.Make(id, 10, new long[] { 1 }))));
        Yt8mImporter.Import(new[] { dir["a.tfrecord"] }, dir["store"]);
        var again = Yt8mImporter.Import(new[] { dir["a.tfrecord"] }, dir["store"]);
        Assert.Equal((0, 2), (again.Imported, again.AlreadyInStore));
    }

    [Theory]
    [InlineData(25, new[] { 0, 10, 20 })]
    [InlineData(24, new[] { 0, 10 })]
    [InlineData(10, new[] { 0 })]
    [InlineData(1, new[] { 0 })]
    public void Segments_follow_the_tail_rule(int seconds, int[] starts) =>
        Assert.Equal(starts, Yt8m.Segments(seconds).Select(s => s.Start));
}

public class Yt8mCliTests
{
    [Fact]
    public void Cli_imports_a_glob_reports_the_corrupt_record_and_exits_zero()
    {
        using var dir = new TempDir();
        Yt8mFiles.WriteTfRecord(dir["train0.tfrecord"], new[] { Yt8mFiles.Serialize(Yt8mFiles.Make("a", 30, new long[] { 27 })), Yt8mFiles.Serialize(Yt8mFiles.Make("b", 30, new long[] { 3 })) });
        var offsets = Yt8mFiles.WriteTfRecord(dir["train1.tfrecord"], new[] { Yt8mFiles.Serialize(Yt8mFiles.Make("c", 30, new long[] { 27 })), Yt8mFiles.Serialize(Yt8mFiles.Make("d", 30, new long[] { 27 })) });
        var bytes = File.ReadAllBytes(dir["train1.tfrecord"]);
        bytes[offsets[1] + 40] ^= 1;
        File.WriteAllBytes(dir["train1.tfrecord"], bytes);

        var (exit, stdout, stderr) = CliProcess.Run("yt8m", "import", Path.Combine(dir.Path, "train*.tfrecord"), "--out", dir["store"], "--labels", "27");
        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("train1.tfrecord: record 1", stderr);
        Assert.Contains("2 video(s) imported", stdout);
        Assert.Equal(2, Viml.Features.FeatureStore.Open(dir["store"]).Count);
    }

    [Fact]
    public void Cli_rejects_bad_label_lists_and_missing_files_with_clear_errors()
    {
        using var dir = new TempDir();
        var bad = CliProcess.Run("yt8m", "import", dir["x.tfrecord"], "--out", dir["store"], "--labels", "music");
        Assert.Equal(64, bad.Exit);
        Assert.Contains("--labels 'music'", bad.Out + bad.Err);
        var missing = CliProcess.Run("yt8m", "import", dir["nope.tfrecord"], "--out", dir["store"]);
        Assert.Equal(2, missing.Exit);
        Assert.Contains("nope.tfrecord: no such file", missing.Err);
        Assert.False(Directory.Exists(dir["store"]));
        var noise = new byte[2048];
        new Random(4).NextBytes(noise);
        File.WriteAllBytes(dir["noise.tfrecord"], noise);
        var garbage = CliProcess.Run("yt8m", "import", dir["noise.tfrecord"], "--out", dir["store"]);
        Assert.Equal(2, garbage.Exit);   // nothing usable
        Assert.Contains("noise.tfrecord: record 0 at byte 0: length checksum mismatch", garbage.Err);
        Assert.Equal(0, Viml.Features.FeatureStore.Open(dir["store"]).Count);
    }
}

public class Yt8mTrainingTests
{
    /// <summary>YouTube-8M features plus label-name texts are an ordinary feature store: `viml train` runs on it unchanged.</summary>
    [Fact, Trait("Category", "E2E")]
    public void Train_runs_on_an_imported_store_with_label_texts()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["vocabulary.csv"], "Index,TrainVideoCount,KnowledgeGraphId,Name,WikiUrl,Vertical1,WikiDescription\n"
            + "0,100,/m/x0,Game,,Games,\"A game, played\"\n27,90,/m/x27,Music video,,Arts & Entertainment,\"A short film, with music\"\n31,80,/m/x31,Guitar,,Arts & Entertainment,Instrument\n");
        var rng = new Random(3);
        var videos = Enumerable.Range(0, 48).Select(i => Yt8mFiles.Make($"v{i:00}", 20 + rng.Next(15),
            i % 3 == 0 ? new long[] { 0 } : i % 3 == 1 ? new long[] { 27 } : new long[] { 27, 31 }, seed: i * 11)).ToList();
        Yt8mFiles.WriteTfRecord(dir["train00.tfrecord"], videos.Select(Yt8mFiles.Serialize));

        var import = CliProcess.Run("yt8m", "import", dir["train00.tfrecord"], "--out", dir["store"], "--vocabulary", dir["vocabulary.csv"], "--labels", "music video");
        Assert.True(import.Exit == 0, import.Out + import.Err);
        Assert.Contains("32 video(s) imported", import.Out);
        var texts = File.ReadAllLines(dir["store/texts/labels.jsonl"]);
        Assert.Equal(32, texts.Length);
        Assert.Contains(texts, t => t.Contains("\"Music video, Guitar\""));

        File.WriteAllText(dir["train.json"], """{"store": "store", "texts": "labels", "output": "run", "batch_size": 8, "epochs": 2, "validation_pool": 8}""");
        var train = CliProcess.Run("train", "--config", dir["train.json"]);
        Assert.True(train.Exit == 0, train.Out + train.Err);
        Assert.True(File.Exists(dir["run/best/model.safetensors"]), train.Out);
    }
}
