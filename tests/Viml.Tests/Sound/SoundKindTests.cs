using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Viml.Catalog;
using Viml.Sound;
using Viml.Synthetic;
using Viml.Tests.Catalog;

namespace Viml.Tests.Sound;

/// <summary>Speech from espeak-ng, music from fluidsynth and noise from ffmpeg, made once for the class.</summary>
public sealed class SoundFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("viml-sound-").FullName;
    public string Speech => Path.Combine(Dir, "talk.wav");
    public string Music => Path.Combine(Dir, "tune.wav");
    public string Noise => Path.Combine(Dir, "rain.flac");

    public SoundFixture()
    {
        Run("espeak-ng", "-v", "en-us", "-s", "150", "-w", Speech,
            "Good evening and welcome to the programme. Tonight we talk about the weather, the harvest and the new bridge over the river, " +
            "which opens next spring after three long years of work by the people of the valley.");
        Renderer.RenderMidi(DemoMusic.Compose(DemoMusic.Style("folk"), 5, 12), Music, 12);
        TestParts.Ffmpeg("-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.3:duration=12,tremolo=f=0.3:d=0.6", Noise);
    }

    static void Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed");
    }

    public void Dispose() { SqliteConnection.ClearAllPools(); Directory.Delete(Dir, true); }
}

public class SoundKindTests(SoundFixture f) : IClassFixture<SoundFixture>
{
    static SoundKind KindOf(string path)
    {
        var pcm = Viml.Media.AudioDecoder.DecodeMono(path, SoundFeatures.SampleRate);
        return SoundKindClassifier.Default.Classify(SoundFeatures.Of(pcm.AsSpan(0, Math.Min(pcm.Length, 10 * SoundFeatures.SampleRate))));
    }

    [Fact]
    public void Spoken_words_are_speech() => Assert.Equal(SoundKind.Speech, KindOf(f.Speech));

    [Fact]
    public void Rendered_music_is_music() => Assert.Equal(SoundKind.Music, KindOf(f.Music));

    [Fact]
    public void Noise_is_other_sound() => Assert.Equal(SoundKind.Other, KindOf(f.Noise));

    [Fact]
    public void Silence_is_other_sound() =>
        Assert.Equal(SoundKind.Other, SoundKindClassifier.Default.Classify(SoundFeatures.Of(new float[10 * SoundFeatures.SampleRate])));

    [Fact]
    public void A_track_is_what_most_of_its_segments_are_music_winning_ties()
    {
        Assert.Equal(SoundKind.Speech, SoundKindClassifier.Majority([SoundKind.Speech, SoundKind.Speech, SoundKind.Music]));
        Assert.Equal(SoundKind.Music, SoundKindClassifier.Majority([SoundKind.Speech, SoundKind.Music]));
    }

    [Fact]
    public void Catalog_leaves_speech_and_noise_out_of_recommendations_unless_asked()
    {
        var root = Path.Combine(f.Dir, "catalog-" + Guid.NewGuid().ToString("N"));
        var parts = TestParts.Create();
        var cat = MusicCatalog.OpenOrCreate(root, CatalogIngest.InfoFor(parts));
        new CatalogIngest(cat, parts).Add([f.Speech, f.Music, f.Noise]);
        Assert.Equal(3, SoundKinds.Ensure(cat, (p, sr, ct) => Viml.Media.AudioDecoder.DecodeMono(p, sr, ct: ct)));
        Assert.Equal(0, SoundKinds.Ensure(cat, (p, sr, ct) => throw new InvalidOperationException("judged twice")));
        var kinds = SoundKinds.OfTracks(cat).ToDictionary(kv => Path.GetFileName(cat.Track(kv.Key)!.Path), kv => kv.Value);
        Assert.Equal(SoundKind.Speech, kinds["talk.wav"]);
        Assert.Equal(SoundKind.Music, kinds["tune.wav"]);
        Assert.Equal(SoundKind.Other, kinds["rain.flac"]);

        using var text = new HashTextEncoder();
        using var service = new RecommendService(cat, text) { MusicOnly = SoundKinds.MusicOnly(cat) };
        var music = service.Recommend(null, "music", new RecommendOptions(), Steering.Default).Items;
        Assert.Equal(["tune.wav"], music.Select(r => Path.GetFileName(r.Track.Path)));
        var all = service.Recommend(null, "music", new RecommendOptions(), new Steering(IncludeNonMusic: true)).Items;
        Assert.Equal(3, all.Count);
    }
}
