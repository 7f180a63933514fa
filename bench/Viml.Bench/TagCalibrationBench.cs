using System.Diagnostics;
using System.Globalization;
using Viml.Synthetic;
using Viml.Encoders;
using Viml.Media;
using Viml.Text;

namespace Viml.Bench;

/// <summary>
/// Kept tags against the truth: music rendered here in the demo's six styles (known genre and instruments, all
/// instrumental) and non-music made here (espeak-ng speech; tones, sweeps, beeps and filtered noise from ffmpeg),
/// whose right kept tags are none. Per-tag thresholds and the genre vote (<see cref="TagCalibration"/>) are fitted on
/// half of the clips (even seeds) and the table is printed on the other half: precision and recall of kept genre,
/// instrument and vocals tags, before (every column at 0.3, no vote: the paper's rule) and after.
/// A column's threshold is fitted only where its attribute occurs in the fitting music (others stay at 0.3).
/// Options: --dir D (.viml/bench-tagcal) --per-style N (6) --other N (12) --write PATH (the thresholds file)
/// </summary>
public static class TagCalibrationBench
{
    const int Seconds = 10;
    static readonly double[] Grid = Enumerable.Range(1, 18).Select(i => i * 0.05).ToArray();

    /// <summary>Attributes a style's rendered pieces carry (its genre word, its instruments, no vocals).</summary>
    static IReadOnlyList<MusicAttribute> Truth(MusicStyle style, TagVocabulary v) =>
        new[] { style.Genre == "ballad" ? null : style.Genre, "instrumental" }.Concat(style.Instruments)
            .Select(n => n is null ? null : v.Find(n)).OfType<MusicAttribute>().Where(a => a.FromTagger).Distinct().ToList();

    public static int Run(string[] args)
    {
        string dir = Path.GetFullPath(Opt(args, "--dir", ".viml/bench-tagcal")!);
        int perStyle = int.Parse(Opt(args, "--per-style", "6")!, CultureInfo.InvariantCulture);
        int others = int.Parse(Opt(args, "--other", "12")!, CultureInfo.InvariantCulture);
        string? write = Opt(args, "--write", null);
        Directory.CreateDirectory(dir);
        var v = TagVocabulary.Default;
        var clips = new List<(string Name, string File, IReadOnlyList<MusicAttribute> Truth, bool Music, bool Fit)>();
        foreach (var (style, si) in DemoMusic.Styles.Select((s, i) => (s, i)))
            for (int k = 0; k < perStyle; k++)
                clips.Add(($"{style.Name} {k}", Path.Combine(dir, $"music-{style.Name}-{k}.wav"), Truth(style, v), true, k % 2 == 0));
        var captions = HumanExamples.LoadMusicCaps(HumanExamples.MusicCapsPath).Examples.Select(e => e.Text).Where(t => t.Length > 150).ToList();
        string[] voices = ["en", "en-us", "en+f3", "en+m3", "en-gb-x-rp", "en+f4"];
        string[] sources =
        [
            "sine=frequency={f}:sample_rate=16000", "aevalsrc='0.3*sin(2*PI*({f}+200*t)*t)':s=16000",
            "aevalsrc='0.3*sin(2*PI*{f}*t)*gt(mod(t,1),0.8)':s=16000", "anoisesrc=color=pink:amplitude=0.2,tremolo=f=0.3:d=0.7",
            "anoisesrc=color=brown:amplitude=0.3,lowpass=f=300", "anoisesrc=color=white:amplitude=0.1,highpass=f=3000",
        ];
        for (int i = 0; i < others; i++)
        {
            clips.Add(($"speech {i}", Path.Combine(dir, $"speech-{i}.wav"), [], false, i % 2 == 0));
            clips.Add(($"sound {i}", Path.Combine(dir, $"sound-{i}.wav"), [], false, i % 2 == 0));
        }
        var sw = Stopwatch.StartNew();
        Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            if (File.Exists(c.File)) return;
            int i = int.Parse(c.Name.Split(' ')[^1], CultureInfo.InvariantCulture);
            if (c.Music)
            {
                var style = DemoMusic.Style(c.Name.Split(' ')[0]);
                Renderer.RenderMidi(DemoMusic.Compose(style, 80_000 + 100 * DemoMusic.Styles.ToList().IndexOf(style) + i, Seconds), c.File, Seconds);
            }
            else if (c.Name.StartsWith("speech", StringComparison.Ordinal))
                Exec("espeak-ng", "-v", voices[i % voices.Length], "-s", (130 + 11 * i % 60).ToString(CultureInfo.InvariantCulture), "-w", c.File, captions[i]);
            else
                Exec("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    sources[i % sources.Length].Replace("{f}", (180 + 97 * i).ToString(CultureInfo.InvariantCulture)), "-t", $"{Seconds}", "-ar", "16000", "-ac", "1", c.File);
        });
        using var encoder = new MusicnnEncoder();
        var names = encoder.Tags.Select(t => $"{t.Model}:{t.Category}:{t.Name}").ToList();
        var tags = clips.Select(c =>
        {
            var pcm = AudioDecoder.DecodeMono(c.File, MusicnnEncoder.Hz);
            return encoder.Embed([pcm.Length > MusicnnEncoder.Hz * Seconds ? pcm[..(MusicnnEncoder.Hz * Seconds)] : pcm])[0].Tags;
        }).ToList();
        Console.WriteLine($"tag calibration: {clips.Count(c => c.Music)} rendered pieces ({perStyle} per style), {2 * others} non-music clips "
            + $"(speech, tones and noise); fitted on {clips.Count(c => c.Fit)}, tested on {clips.Count(c => !c.Fit)} ({sw.Elapsed:mm\\:ss})");

        var fit = Enumerable.Range(0, clips.Count).Where(i => clips[i].Fit).ToList();
        var test = Enumerable.Range(0, clips.Count).Where(i => !clips[i].Fit).ToList();
        bool Right(MusicAttribute a, IReadOnlyList<MusicAttribute> truth) => truth.Any(t => v.Related(a, t));
        // Per column: the threshold with the best F1 of that column alone on the fitting clips.
        var thresholds = new Dictionary<(string, string), double>();
        for (int t = 0; t < names.Count; t++)
        {
            var (known, a) = v.ResolveTagName(names[t]);
            if (!known || a is null || a.Category == TagCategory.Mood) continue;
            if (!fit.Any(i => Right(a, clips[i].Truth))) continue;
            int col = t;
            double F1(double th)
            {
                int tp = fit.Count(i => tags[i][col] >= th && Right(a, clips[i].Truth));
                int fp = fit.Count(i => tags[i][col] >= th && !Right(a, clips[i].Truth));
                int fn = fit.Count(i => tags[i][col] < th && Right(a, clips[i].Truth));
                return tp == 0 ? 0 : 2.0 * tp / (2 * tp + fp + fn);
            }
            thresholds[TagReader.Key(names[t])] = Grid.OrderByDescending(F1).ThenBy(th => Math.Abs(th - 0.3)).First();
        }
        var before = TagCalibration.None;
        var candidates = new[] { 1, 2, 3 }.Select(n => new TagCalibration(thresholds, n)).ToList();
        var after = candidates.OrderByDescending(c => Score(c, fit).F1).ThenBy(c => c.GenreVotes).First();
        Console.WriteLine($"fitted: {thresholds.Count} column thresholds; genre vote {after.GenreVotes} "
            + $"(fit F1 by vote: {string.Join(", ", candidates.Select(c => $"{c.GenreVotes}: {Score(c, fit).F1:0.000}"))})");

        (double Precision, double Recall, double F1, double NonMusicTags, int ElectronicOnNonMusic, double MusicTags) Score(TagCalibration cal, List<int> set)
        {
            var reader = new TagReader(names, new TagSelection(0.3), v, cal);
            int kept = 0, right = 0, truths = 0, found = 0, nonMusicKept = 0, electronic = 0, musicKept = 0;
            foreach (int i in set)
            {
                var k = reader.ReadPooled(tags[i]).Attributes.Where(a => a.Category != TagCategory.Mood).ToList();
                kept += k.Count;
                right += k.Count(a => Right(a, clips[i].Truth));
                truths += clips[i].Truth.Count;
                found += clips[i].Truth.Count(t => k.Any(a => v.Related(a, t)));
                if (clips[i].Music) musicKept += k.Count;
                else { nonMusicKept += k.Count; if (k.Any(a => v.Related(a, v.Get("electronic")))) electronic++; }
            }
            double p = kept == 0 ? 1 : (double)right / kept, r = truths == 0 ? 0 : (double)found / truths;
            int nm = set.Count(i => !clips[i].Music);
            return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), (double)nonMusicKept / nm, electronic, (double)musicKept / (set.Count - nm));
        }

        Console.WriteLine();
        Console.WriteLine($"| kept genre, instrument and vocals tags (test: {test.Count(i => clips[i].Music)} pieces, {test.Count(i => !clips[i].Music)} non-music) "
            + "| precision | recall | F1 | tags per piece | tags per non-music clip | non-music clips kept as electronic |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, cal) in new[] { ("before: every column at 0.3, no vote", before),
                     ("per-tag thresholds, no vote", new TagCalibration(thresholds, 1)), ($"after: per-tag thresholds, genre vote {after.GenreVotes}", after) })
        {
            var m = Score(cal, test);
            Console.WriteLine($"| {name} | {100 * m.Precision:0.0}% | {100 * m.Recall:0.0}% | {m.F1:0.000} | {m.MusicTags:0.0} | {m.NonMusicTags:0.0} | {m.ElectronicOnNonMusic} of {test.Count(i => !clips[i].Music)} |");
        }
        if (write is not null)
        {
            File.WriteAllText(write, after.ToTsv(
                "Per-tag thresholds and the genre vote of the musicnn taggers (Viml.Text.TagCalibration), fitted by\n"
                + "`dotnet run -c Release --project bench/Viml.Bench -- tagcal --write src/Viml/Text/tag_thresholds.tsv`\n"
                + "on music rendered in six known styles and on generated speech and noise (docs/music.md)."));
            Console.WriteLine($"wrote {write}");
        }
        return 0;
    }

    static void Exec(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed: {err}");
    }

    static string? Opt(string[] args, string name, string? fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
