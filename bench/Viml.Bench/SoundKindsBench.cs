using System.Diagnostics;
using System.Text.Json;
using Viml.Media;
using Viml.Sound;
using Viml.Synthetic;
using Viml.Text;

namespace Viml.Bench;

/// <summary>
/// Music, speech or other sound: generates labelled 10-s clips on this machine, fits <see cref="SoundKindClassifier"/>
/// on 70% of them and prints the accuracy per class on the other 30% (and the confusion matrix), beside a one-feature
/// peer (harmonicity alone, thresholds fitted the same way). Clips: music rendered by fluidsynth in the six demo
/// styles (plus any audio in --music), speech by espeak-ng reading MusicCaps captions in several voices and speeds,
/// mixes (speech over a quiet music bed: speech; music with quiet speech under it: music), and other sound from
/// ffmpeg: white/pink/brown noise through filters (wind, rain, rumble), tones, sweeps, beeps and near silence.
/// Options: --dir D (.viml/bench-soundkinds) --per-class N (60) --music DIR --write PATH (writes the fitted weights)
/// </summary>
public static class SoundKindsBench
{
    const int Rate = SoundFeatures.SampleRate, Seconds = 10;

    public static int Run(string[] args)
    {
        string dir = Path.GetFullPath(Opt(args, "--dir", ".viml/bench-soundkinds"));
        int per = int.Parse(Opt(args, "--per-class", "60"));
        string? write = Opt(args, "--write", null!);
        string? extraMusic = Opt(args, "--music", null!);
        Directory.CreateDirectory(dir);
        var sw = Stopwatch.StartNew();
        var rng = new Random(7);
        var captions = HumanExamples.LoadMusicCaps(HumanExamples.MusicCapsPath).Examples.Select(e => e.Text).Where(t => t.Length > 120).Take(per * 2).ToList();
        string[] voices = ["en", "en-us", "en+f3", "en+m3", "en-gb-x-rp", "en+f4", "de", "fr", "es", "en+m7"];

        var music = new List<float[]>();
        if (extraMusic != null)
            foreach (var f in Directory.EnumerateFiles(extraMusic, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".wav") || f.EndsWith(".flac") || f.EndsWith(".ogg") || f.EndsWith(".mp3")).Order())
                music.AddRange(Clips(AudioDecoder.DecodeMono(f, Rate)));
        for (int i = 0; music.Count < per * 3 / 2; i++)
        {
            var style = DemoMusic.Styles[i % DemoMusic.Styles.Count];
            string f = Path.Combine(dir, $"music-{i:000}.wav");
            if (!File.Exists(f)) Renderer.RenderMidi(DemoMusic.Compose(style, 90_000 + i, Seconds), f, Seconds);
            music.AddRange(Clips(AudioDecoder.DecodeMono(f, Rate)).Take(1));
        }
        music = music.OrderBy(_ => rng.Next()).Take(per).ToList();

        var speech = new List<float[]>();
        for (int i = 0; speech.Count < per; i++)
        {
            string f = Path.Combine(dir, $"speech-{i:000}.wav");
            if (!File.Exists(f))
                Run("espeak-ng", "-v", voices[i % voices.Length], "-s", (120 + 13 * i % 90).ToString(), "-p", (30 + 7 * i % 45).ToString(), "-w", f, captions[i % captions.Count]);
            var pcm = AudioDecoder.DecodeMono(f, Rate);
            if (pcm.Length >= Rate * Seconds) speech.Add(pcm[..(Rate * Seconds)]);
        }

        var other = new List<float[]>();
        string[] sources =
        [
            "anoisesrc=color=white:amplitude={a}", "anoisesrc=color=pink:amplitude={a}", "anoisesrc=color=brown:amplitude={a}",
            "anoisesrc=color=pink:amplitude={a},tremolo=f=0.3:d=0.7", "anoisesrc=color=brown:amplitude={a},lowpass=f=300",
            "anoisesrc=color=white:amplitude={a},highpass=f=3000", "sine=frequency={f}:sample_rate=16000,volume={a}",
            "aevalsrc='{a}*sin(2*PI*({f}+200*t)*t)':s=16000", "aevalsrc='{a}*sin(2*PI*{f}*t)*gt(mod(t,1),0.8)':s=16000",
            "anoisesrc=color=white:amplitude=0.002", "anoisesrc=color=violet:amplitude={a},bandpass=f={f}",
        ];
        for (int i = 0; other.Count < per; i++)
        {
            string f = Path.Combine(dir, $"other-{i:000}.wav");
            string src = sources[i % sources.Length].Replace("{a}", (0.05 + 0.4 * rng.NextDouble()).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))
                .Replace("{f}", (150 + rng.Next(1500)).ToString());
            if (!File.Exists(f)) Run("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", src, "-t", Seconds.ToString(), "-ar", Rate.ToString(), "-ac", "1", f);
            other.Add(AudioDecoder.DecodeMono(f, Rate));
        }

        // Mixes: half speech over a quiet music bed (speech), half music over quiet speech (music).
        var mixes = new List<(float[], SoundKind)>();
        for (int i = 0; i < per / 2; i++)
        {
            var s = speech[i % speech.Count]; var m = music[(i * 7) % music.Count];
            bool speechOnTop = i % 2 == 0;
            float gs = speechOnTop ? 1f : 0.15f, gm = speechOnTop ? 0.2f : 1f;
            mixes.Add((s.Zip(m, (a, b) => gs * a + gm * b).ToArray(), speechOnTop ? SoundKind.Speech : SoundKind.Music));
        }

        var data = music.Select(x => (x, SoundKind.Music)).Concat(speech.Select(x => (x, SoundKind.Speech)))
            .Concat(other.Select(x => (x, SoundKind.Other))).Concat(mixes)
            .Select((x, i) => (Features: SoundFeatures.Of(x.Item1), Kind: x.Item2, Mix: i >= music.Count + speech.Count + other.Count)).ToList();
        var order = data.OrderBy(_ => rng.Next()).ToList();
        int cut = order.Count * 7 / 10;
        var train = order.Take(cut).ToList(); var test = order.Skip(cut).ToList();
        var model = SoundKindClassifier.Fit(train.Select(x => (x.Features, x.Kind)).ToList());
        int h = Array.IndexOf(SoundFeatures.Names, "harmonicity");
        var peer = SoundKindClassifier.Fit(train.Select(x => (Only(x.Features, h), x.Kind)).ToList());

        Console.WriteLine($"sound kinds: {data.Count} clips of {Seconds} s ({music.Count} music, {speech.Count} speech, {other.Count} other, {mixes.Count} mixes), " +
            $"trained on {train.Count}, tested on {test.Count}; made and fitted in {sw.Elapsed.TotalSeconds:0} s");
        Console.WriteLine();
        Console.WriteLine("| class (test) | clips | accuracy | harmonicity alone |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var k in Enum.GetValues<SoundKind>())
        {
            var of = test.Where(x => x.Kind == k).ToList();
            Console.WriteLine($"| {k.ToString().ToLowerInvariant()} | {of.Count} | {Acc(of, x => model.Classify(x)):0.0}% | {Acc(of, x => peer.Classify(Only(x, h))):0.0}% |");
        }
        var mixTest = test.Where(x => x.Mix).ToList();
        Console.WriteLine($"| of which mixes | {mixTest.Count} | {Acc(mixTest, x => model.Classify(x)):0.0}% | {Acc(mixTest, x => peer.Classify(Only(x, h))):0.0}% |");
        Console.WriteLine($"| all | {test.Count} | {Acc(test, x => model.Classify(x)):0.0}% | {Acc(test, x => peer.Classify(Only(x, h))):0.0}% |");
        Console.WriteLine();
        Console.WriteLine("confusion (rows true, columns predicted: music speech other):");
        foreach (var k in Enum.GetValues<SoundKind>())
            Console.WriteLine($"  {k,-7} " + string.Join(" ", Enum.GetValues<SoundKind>().Select(p => test.Count(x => x.Kind == k && model.Classify(x.Features) == p).ToString().PadLeft(4))));
        if (write != null)
        {
            var all = SoundKindClassifier.Fit(data.Select(x => (x.Features, x.Kind)).ToList());
            File.WriteAllText(write, JsonSerializer.Serialize(all.Parameters, new JsonSerializerOptions { WriteIndented = false }) + "\n");
            Console.WriteLine($"weights fitted on all {data.Count} clips written to {write}");
        }
        return 0;

        double Acc(List<(float[] Features, SoundKind Kind, bool Mix)> xs, Func<float[], SoundKind> f) =>
            xs.Count == 0 ? double.NaN : 100.0 * xs.Count(x => f(x.Features) == x.Kind) / xs.Count;
    }

    /// <summary>One feature kept, the others zeroed (standardised to 0): a single-feature peer.</summary>
    static float[] Only(float[] f, int j) => f.Select((v, i) => i == j ? v : 0f).ToArray();

    static IEnumerable<float[]> Clips(float[] pcm)
    {
        for (int a = 0; a + Rate * Seconds <= pcm.Length; a += Rate * Seconds) yield return pcm[a..(a + Rate * Seconds)];
    }

    static void Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed: {err}");
    }

    static string Opt(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
