using Viml.Media;
using Viml.Rhythm;
using Viml.Synthetic;

namespace Viml.Bench;

/// <summary>
/// Whether the pace fit points the right way, with no model: held-out generated videos (<see cref="CutVideo"/>, seeds
/// 201..) whose shots last two bars of a tempo T (cuts every 8 beats), each against the 36 steady pieces of the rhythm
/// bench (62-182 BPM). Ranks the pieces by pace fit alone and prints, per video, T and the tempi of the top three, and
/// in total the mean distance in octaves between T and the top three beside that of all pieces (chance).
/// Options: --data DIR (the rhythm bench's rendered music is reused) --videos N (8)
/// </summary>
public static class PaceFitBench
{
    public static int Run(string[] args)
    {
        string data = Opt(args, "--data", Path.Combine(Path.GetTempPath(), "viml-bench-rhythm"));
        int videos = int.Parse(Opt(args, "--videos", "8"));
        Directory.CreateDirectory(data);
        var tracks = BeatMusic.Set().Where(p => p.SteadyTempo).Select(p =>
        {
            string wav = Path.Combine(data, p.Name + ".wav");
            if (!File.Exists(wav)) Renderer.RenderMidi(p.Midi, wav, p.Seconds);
            var r = RhythmAnalyzer.Analyse(AudioDecoder.DecodeMono(wav, RhythmAnalyzer.SampleRate), RhythmAnalyzer.SampleRate);
            return (Piece: p, Bpm: r.Bpm, Loudness: r.EnergyBetween(0, p.Seconds));
        }).ToList();
        double top3 = 0, chance = 0;
        Console.WriteLine($"pace fit bench: {videos} videos cut every 8 beats, {tracks.Count} pieces; octaves between video tempo and piece tempo");
        for (int k = 0; k < videos; k++)
        {
            double tempo = 62 + 120.0 * k / Math.Max(1, videos - 1);
            var piece = CutVideo.Compose(201 + k, 40, shotSeconds: 8 * 60 / tempo);
            string file = Path.Combine(data, $"pace-{k}.mp4");
            if (!File.Exists(file)) CutVideo.Render(piece, file);
            var det = new CutDetector(2);
            int i = 0;
            foreach (var f in FrameDecoder.Decode(file, 2, 224, 224)) det.Add((i++ + 0.5) / 2, f.Pixels.Span, f.Width, f.Height);
            var pace = det.Finish();
            var ranked = tracks.OrderByDescending(t => PaceMatch.Fit(pace, t.Bpm, t.Loudness)).ToList();
            double Octaves(double bpm) => Math.Abs(Math.Log2(bpm / tempo));
            double best = ranked.Take(3).Average(t => Octaves(t.Piece.Bpm)), all = tracks.Average(t => Octaves(t.Piece.Bpm));
            top3 += best; chance += all;
            Console.WriteLine($"video at {tempo,5:0} BPM ({pace.CutsPerMinute,4:0.0} cuts/min, motion {pace.Motion:0.000}): top 3 pieces at " +
                string.Join(", ", ranked.Take(3).Select(t => $"{t.Piece.Bpm:0}")) + $" BPM; {best:0.00} octaves off (all pieces: {all:0.00})");
        }
        Console.WriteLine($"mean octaves off, top 3 by pace fit: {top3 / videos:0.00}; all pieces (chance): {chance / videos:0.00}");
        return 0;
    }

    static string Opt(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
