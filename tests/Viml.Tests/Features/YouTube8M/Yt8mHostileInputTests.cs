using System.Buffers.Binary;
using Google.Protobuf;
using Viml.Features;
using Viml.Features.YouTube8M;

namespace Viml.Tests.Features.YouTube8M;

/// <summary>Hostile YouTube-8M files and configs: each gives a clear report or error naming the input, never a crash or a partial item.</summary>
public class Yt8mHostileInputTests
{
    static Yt8mImportReport ImportBytes(TempDir dir, byte[] bytes, string name = "x.tfrecord")
    {
        File.WriteAllBytes(dir[name], bytes);
        return Yt8mImporter.Import(new[] { dir[name] }, dir["store"]);
    }

    static byte[] Framed(params byte[][] records)
    {
        using var ms = new MemoryStream();
        var w = new TfRecordWriter(ms);
        foreach (var r in records) w.Write(r);
        return ms.ToArray();
    }

    static string OnlyProblem(Yt8mImportReport r, TempDir dir)
    {
        Assert.Equal(0, r.Imported);
        Assert.Equal(0, FeatureStore.Open(dir["store"]).Count);
        return Assert.Single(r.Problems);
    }

    [Fact]
    public void An_empty_file_holds_no_records_and_is_no_error()
    {
        using var dir = new TempDir();
        var r = ImportBytes(dir, []);
        Assert.Equal((0, 0, 0), (r.Records, r.Imported, r.Problems.Count));
    }

    [Fact]
    public void Random_bytes_fail_the_length_checksum()
    {
        using var dir = new TempDir();
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);
        Assert.Contains("length checksum mismatch", OnlyProblem(ImportBytes(dir, bytes), dir));
    }

    [Theory]
    [InlineData(1UL << 40)]          // a terabyte: never allocated
    [InlineData(ulong.MaxValue)]
    [InlineData(5000UL)]             // just past the end of the file
    public void A_huge_declared_length_with_a_valid_checksum_is_refused_before_allocating(ulong length)
    {
        using var dir = new TempDir();
        var header = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), Yt8mFiles.MaskedCrc(header.AsSpan(0, 8)));
        var p = OnlyProblem(ImportBytes(dir, [.. header, .. new byte[100]]), dir);
        Assert.Contains($"declared length {length}", p);
    }

    [Fact]
    public void A_header_cut_short_is_reported_as_truncated()
    {
        using var dir = new TempDir();
        var good = Framed(Yt8mFiles.Serialize(Yt8mFiles.Make("a", 10, [1])));
        var r = ImportBytes(dir, [.. good, .. good.AsSpan(0, 7)]);
        Assert.Equal(1, r.Imported);
        Assert.Contains("truncated header (7 of 12 bytes)", Assert.Single(r.Problems));
    }

    [Fact]
    public void Garbage_inside_valid_framing_is_a_skipped_record_naming_the_protobuf_error()
    {
        using var dir = new TempDir();
        var garbage = new byte[300];
        new Random(2).NextBytes(garbage);
        garbage[0] = 0x0A; garbage[1] = 0xFF; garbage[2] = 0xFF; garbage[3] = 0xFF; garbage[4] = 0x7F;   // field 1, length 268 million
        var r = ImportBytes(dir, Framed(garbage, Yt8mFiles.Serialize(Yt8mFiles.Make("ok", 10, [1]))));
        Assert.Equal(1, r.Imported);
        Assert.Contains("record 0 at byte 0", Assert.Single(r.Problems));
    }

    [Fact]
    public void Records_that_are_not_YouTube_8M_videos_name_what_is_missing()
    {
        using var dir = new TempDir();
        var v = Yt8mFiles.Make("v", 12, [1]);
        var shortFrame = v with { Rgb = v.Rgb.Select((f, i) => i == 3 ? f[..1000] : f).ToArray() };
        var mismatch = v with { Audio = v.Audio[..11] };
        var noSeconds = v with { Rgb = [], Audio = [] };
        var noId = v with { Id = "" };
        var r = ImportBytes(dir, Framed(Yt8mFiles.Serialize(shortFrame), Yt8mFiles.Serialize(mismatch), Yt8mFiles.Serialize(noSeconds), Yt8mFiles.Serialize(noId), [], Message(o => { })));
        Assert.Equal(0, r.Imported);
        Assert.Equal(6, r.Problems.Count);
        Assert.Contains("'rgb' second 3 has 1000 bytes, expected 1024", r.Problems[0]);
        Assert.Contains("12 seconds of rgb but 11 of audio", r.Problems[1]);
        Assert.Contains("no seconds of features", r.Problems[2]);
        Assert.Contains("empty 'id'", r.Problems[3]);
        Assert.Contains("no context feature 'id'", r.Problems[4]);   // a zero-length record
        Assert.Contains("no context feature 'id'", r.Problems[5]);
    }

    static byte[] Message(Action<CodedOutputStream> write)
    {
        var ms = new MemoryStream();
        var o = new CodedOutputStream(ms);
        write(o);
        o.Flush();
        return ms.ToArray();
    }

    [Fact]
    public void Unicode_and_very_long_file_names_import()
    {
        using var dir = new TempDir();
        string name = "vidéo-日本語-" + new string('x', 200) + ".tfrecord";
        var r = ImportBytes(dir, Framed(Yt8mFiles.Serialize(Yt8mFiles.Make("ü-ид-🎵", 10, [1]))), name);
        Assert.Equal(1, r.Imported);
        Assert.Equal("ü-ид-🎵", FeatureStore.Open(dir["store"]).ReadAll().Single().Id);
    }

    [Fact]
    public void Missing_files_folders_symlink_loops_and_empty_globs_are_errors_before_anything_is_written()
    {
        using var dir = new TempDir();
        File.CreateSymbolicLink(dir["loop-a"], dir["loop-b"]);
        File.CreateSymbolicLink(dir["loop-b"], dir["loop-a"]);
        Directory.CreateDirectory(dir["folder.tfrecord"]);
        foreach (var input in new[] { dir["nope.tfrecord"], dir["loop-a"], dir["folder.tfrecord"] })
        {
            var e = Assert.Throws<InvalidInputException>(() => Yt8mImporter.Import(new[] { input }, dir["store"]));
            Assert.Contains(input, e.Message);
        }
        Assert.Contains("matches no file", Assert.Throws<InvalidInputException>(() => InputFiles.Expand(new[] { dir["*.tfrecord"] })).Message);
        Assert.Contains("no such folder", Assert.Throws<InvalidInputException>(() => InputFiles.Expand(new[] { dir["no-dir/*.tfrecord"] })).Message);
        Assert.Throws<InvalidInputException>(() => Yt8mImporter.Import(Array.Empty<string>(), dir["store"]));
        Assert.False(Directory.Exists(dir["store"]));
    }

    [Fact]
    public void A_store_made_by_other_encoders_is_refused()
    {
        using var dir = new TempDir();
        FeatureStore.OpenOrCreate(dir["store"], new StoreInfo("resnet18", 512, "musicnn", 600, []));
        File.WriteAllBytes(dir["a.tfrecord"], Framed(Yt8mFiles.Serialize(Yt8mFiles.Make("a", 10, [1]))));
        var e = Assert.Throws<InvalidInputException>(() => Yt8mImporter.Import(new[] { dir["a.tfrecord"] }, dir["store"]));
        Assert.Contains("other settings", e.Message);
    }

    [Fact]
    public void A_malformed_vocabulary_is_an_error_naming_the_file()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["v.csv"], "Id,Label\n1,x\n");
        Assert.Contains("needs columns Index and Name", Assert.Throws<InvalidInputException>(() => Yt8mVocabulary.Read(dir["v.csv"])).Message);
        File.WriteAllText(dir["v.csv"], "Index,Name\nseven,x\n");
        Assert.Contains("row 2", Assert.Throws<InvalidInputException>(() => Yt8mVocabulary.Read(dir["v.csv"])).Message);
        File.WriteAllText(dir["v.csv"], "Index,Name\n7,\"Music video\"\n");
        Assert.Contains("no such name", Assert.Throws<InvalidInputException>(() => Yt8mVocabulary.Resolve(new[] { "Guitar" }, Yt8mVocabulary.Read(dir["v.csv"]))).Message);
        Assert.Equal(new long[] { 7, 9 }, Yt8mVocabulary.Resolve(new[] { "music VIDEO", "9" }, Yt8mVocabulary.Read(dir["v.csv"])).Order());
    }
}
