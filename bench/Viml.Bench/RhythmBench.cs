using System.Diagnostics;
using System.Globalization;
using Viml.Media;
using Viml.Rhythm;
using Viml.Synthetic;

namespace Viml.Bench;

/// <summary>
/// Tempo and beat tracking, Viml beside aubio (Debian's aubio-tools: `aubio tempo`, `aubio beat`) on the same
/// files: music rendered with fluidsynth from <see cref="BeatMusic.Set"/> (six styles at steady tempi from 60 to
/// 180 BPM, and six pieces that ramp or jump), whose beat times are known. Prints per piece and in total: tempo
/// accuracy within 4 % (acc1) and allowing double/half/triple/third (acc2) on the steady pieces, beat F-measure
/// (+-70 ms) on all, and speed (seconds of audio per CPU second, from getrusage: analysis only for Viml, whose decoding ffmpeg does;
/// for aubio, its C program `aubiotrack`, the tracker of `aubio beat`, decoding included).
/// Options: --data DIR (where the rendered audio is kept; default a folder under the temp dir) --seconds S (30)
/// </summary>
public static class RhythmBench
{
    public static int Run(string[] args)
    {
        string data = Opt(args, "--data", Path.Combine(Path.GetTempPath(), "viml-bench-rhythm"));
        double seconds = double.Parse(Opt(args, "--seconds", "30"), CultureInfo.InvariantCulture);
        Directory.CreateDirectory(data);
        var pieces = BeatMusic.Set(seconds);
        Console.WriteLine($"rhythm bench: {pieces.Count} pieces of {seconds:0} s rendered with fluidsynth into {data}");
        Console.WriteLine($"{"piece",-28} {"true",6} {"viml",6} {"aubio",6}  {"F viml",6} {"F aubio",7}");

        var rows = new List<(BeatPiece Piece, double VimlBpm, double AubioBpm, double VimlF, double AubioF)>();
        double vimlSeconds = 0, aubioSeconds = 0, audioSeconds = 0;
        foreach (var piece in pieces)
        {
            string wav = Path.Combine(data, piece.Name + ".wav");
            if (!File.Exists(wav)) Renderer.RenderMidi(piece.Midi, wav, seconds);
            var pcm = AudioDecoder.DecodeMono(wav, RhythmAnalyzer.SampleRate);
            audioSeconds += (double)pcm.Length / RhythmAnalyzer.SampleRate;

            double cpu = CpuTime.OfThisThread();
            var viml = RhythmAnalyzer.Analyse(pcm, RhythmAnalyzer.SampleRate);
            vimlSeconds += CpuTime.OfThisThread() - cpu;

            double aubioBpm = AubioTempo(wav);
            var aubioBeats = AubioBeats(wav);
            cpu = CpuTime.OfChildren();
            Run("aubiotrack", "-i", wav);   // the same tracker as `aubio beat`, in C without Python's start-up: timed
            aubioSeconds += CpuTime.OfChildren() - cpu;

            var row = (piece, viml.Bpm, aubioBpm, BeatEvaluation.FMeasure(viml.Beats, piece.Beats), BeatEvaluation.FMeasure(aubioBeats, piece.Beats));
            rows.Add(row);
            Console.WriteLine($"{piece.Name,-28} {piece.Bpm,6:0.0} {viml.Bpm,6:0.0} {aubioBpm,6:0.0}  {row.Item4,6:0.00} {row.Item5,7:0.00}");
        }

        var steady = rows.Where(r => r.Piece.SteadyTempo).ToList();
        double Acc(Func<(BeatPiece Piece, double VimlBpm, double AubioBpm, double VimlF, double AubioF), double> bpm, bool octaves) =>
            steady.Count(r => BeatEvaluation.TempoCorrect(bpm(r), r.Piece.Bpm, octaves)) / (double)steady.Count;
        Console.WriteLine();
        Console.WriteLine($"{"",-34} {"viml",8} {"aubio",8}");
        Console.WriteLine($"{"tempo acc1 (within 4 %), steady",-34} {Acc(r => r.VimlBpm, false),8:P0} {Acc(r => r.AubioBpm, false),8:P0}");
        Console.WriteLine($"{"tempo acc2 (x2, x1/2, x3, x1/3 ok)",-34} {Acc(r => r.VimlBpm, true),8:P0} {Acc(r => r.AubioBpm, true),8:P0}");
        Console.WriteLine($"{"beat F-measure (+-70 ms), all",-34} {rows.Average(r => r.VimlF),8:0.000} {rows.Average(r => r.AubioF),8:0.000}");
        Console.WriteLine($"{"beat F-measure, steady",-34} {steady.Average(r => r.VimlF),8:0.000} {steady.Average(r => r.AubioF),8:0.000}");
        Console.WriteLine($"{"beat F-measure, ramps and jumps",-34} {rows.Where(r => !r.Piece.SteadyTempo).Average(r => r.VimlF),8:0.000} {rows.Where(r => !r.Piece.SteadyTempo).Average(r => r.AubioF),8:0.000}");
        foreach (var style in BeatMusic.Styles)
        {
            var s = rows.Where(r => r.Piece.Style == style).ToList();
            Console.WriteLine($"{"  beat F, " + style,-34} {s.Average(r => r.VimlF),8:0.000} {s.Average(r => r.AubioF),8:0.000}");
        }
        double vimlSpeed = audioSeconds / vimlSeconds, aubioSpeed = audioSeconds / aubioSeconds;
        Console.WriteLine($"{"speed, x real time per core",-34} {vimlSpeed,8:0} {aubioSpeed,8:0}   (viml/aubio {vimlSpeed / aubioSpeed:0.0}x)");
        return 0;
    }

    static double AubioTempo(string wav)
    {
        var line = Run("aubio", "tempo", "-i", wav).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return double.TryParse(line.Replace("bpm", "").Trim(), CultureInfo.InvariantCulture, out var bpm) ? bpm : 0;
    }

    static double[] AubioBeats(string wav) => Run("aubio", "beat", "-i", wav)
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => double.Parse(l.Trim(), CultureInfo.InvariantCulture)).ToArray();

    static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{program} did not start");
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {err.Result}");
        return output;
    }

    static string Opt(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
