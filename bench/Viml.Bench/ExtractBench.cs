using System.Diagnostics;
using Viml.Encoders;
using Viml.Features;
using Viml.Media;

namespace Viml.Bench;

/// <summary>
/// Feature-extraction speed as x real time (seconds of media per second of wall time) on a generated music video,
/// the Extractor's pipeline (decoding overlapping encoding; music encoded alongside frames or after them) against a
/// serial peer in the same run: decode all frames, embed them, decode the audio, embed it, one after the other, with
/// the same encoders.
/// Usage: extract [--seconds 60] [--size 1280x720] [--fps 6] [--rounds 1]
/// </summary>
public static class ExtractBench
{
    public static int Run(string[] args)
    {
        double seconds = 60, fps = 6; string size = "1280x720"; int rounds = 1;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds") seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--size") size = args[++i];
            else if (args[i] == "--fps") fps = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else if (args[i] == "--rounds") rounds = int.Parse(args[++i]);
        }
        string clip = MakeClip(seconds, size);
        var info = MediaProbe.Probe(clip);
        Console.WriteLine($"load average before: {LoadAverage()}");
        Console.WriteLine($"clip: {info.Duration:0.#} s, {info.Video!.Width}x{info.Video.Height} {info.Video.Fps:0.##} fps {info.Video.Codec}, {info.Audio!.SampleRate} Hz {info.Audio.Codec}; {Environment.ProcessorCount} cores");

        var load = Stopwatch.StartNew();
        var (frames, music) = LoadEncoders();
        Console.WriteLine($"encoders: {frames.Name} ({frames.InputWidth}x{frames.InputHeight}, {frames.Dimension}-d), {music.Name} ({music.SampleRate} Hz, {music.Dimension}-d, {music.Tags.Count} tags); loaded in {load.Elapsed.TotalSeconds:0.0} s");
        using (frames)
        using (music)
        {
            var variants = new (string Name, Extractor X)[]
            {
                ("Extractor, music after frames", new Extractor(frames, music, new ExtractorOptions(Fps: fps, MusicAlongsideFrames: false))),
                ("Extractor (default: music alongside)", new Extractor(frames, music, new ExtractorOptions(Fps: fps))),
            };
            variants[0].X.Extract(new ManifestItem("warm-up", clip, End: 10)); // JIT, sessions, weights paged in

            // interleaved rounds, best of each: a busy machine hurts all of them alike
            double serialBest = double.MaxValue;
            (double Decode, double Frames, double Music) serialSplit = default;
            var best = new ExtractionReport?[variants.Length];
            for (int r = 0; r < rounds; r++)
            {
                var s = Serial(frames, music, clip, fps);
                if (s.Wall < serialBest) { serialBest = s.Wall; serialSplit = (s.Decode, s.Frames, s.Music); }
                for (int v = 0; v < variants.Length; v++)
                {
                    string dir = Directory.CreateTempSubdirectory("viml-bench-store-").FullName;
                    try
                    {
                        var store = FeatureStore.OpenOrCreate(dir, variants[v].X.StoreInfo);
                        var report = variants[v].X.Run([new ManifestItem("clip", clip)], store);
                        if (report.Failures.Count > 0) throw new InvalidOperationException(report.Failures[0].Problem);
                        if (best[v] is null || report.Wall < best[v]!.Wall) best[v] = report;
                    }
                    finally { Directory.Delete(dir, true); }
                }
            }

            double media = best[0]!.MediaSeconds;
            Console.WriteLine($"{"serial peer (decode, then encode)",-38} {media / serialBest,6:0.00}x real time  {serialBest,6:0.0} s: decode {serialSplit.Decode:0.0} s (frames + audio), frame encoder {serialSplit.Frames:0.0} s, music encoder {serialSplit.Music:0.0} s");
            for (int v = 0; v < variants.Length; v++)
            {
                var b = best[v]!;
                Console.WriteLine($"{variants[v].Name,-38} {b.RealTimeFactor,6:0.00}x real time  {b.Wall.TotalSeconds,6:0.0} s: decoding side busy {b.DecodeBusy.TotalSeconds:0.0} s, " +
                                  $"encoders waited {b.EncoderWaited.TotalSeconds:0.0} s, frame encoder {b.FrameEncode.TotalSeconds:0.0} s, music encoder {b.MusicEncode.TotalSeconds:0.0} s; x{serialBest / b.Wall.TotalSeconds:0.00} vs serial");
            }
            Console.WriteLine($"{best[^1]!.Frames} frames, {media:0} s of media, best of {rounds} round(s)");
        }
        Console.WriteLine($"load average after: {LoadAverage()} (the machine is shared; the ratio is the figure to compare)");
        return 0;
    }

    /// <summary>The peer: every stage in turn on one thread, as a plain script would do it.</summary>
    static (double Wall, double Decode, double Frames, double Music) Serial(IFrameEncoder frames, IMusicEncoder music, string clip, double fps)
    {
        var wall = Stopwatch.StartNew();
        var decode = new Stopwatch(); var frameEnc = new Stopwatch(); var musicEnc = new Stopwatch();
        decode.Start();
        var info = MediaProbe.Probe(clip);
        var segments = Segmenter.Split(0, info.Duration);
        var all = FrameDecoder.Decode(info, fps, frames.InputWidth, frames.InputHeight, 0, segments[^1].End).ToList();
        decode.Stop();
        frameEnc.Start();
        for (int i = 0; i < all.Count; i += 32) frames.Embed(all.GetRange(i, Math.Min(32, all.Count - i)));
        frameEnc.Stop();
        decode.Start();
        var pcm = AudioDecoder.DecodeMono(info, music.SampleRate, 0, segments[^1].End);
        var pieces = segments.Select(s => pcm.AsSpan((int)(s.Start * music.SampleRate), Math.Min(pcm.Length - (int)(s.Start * music.SampleRate), (int)(s.Duration * music.SampleRate))).ToArray()).ToList();
        decode.Stop();
        musicEnc.Start();
        music.Embed(pieces);
        musicEnc.Stop();
        return (wall.Elapsed.TotalSeconds, decode.Elapsed.TotalSeconds, frameEnc.Elapsed.TotalSeconds, musicEnc.Elapsed.TotalSeconds);
    }

    static (IFrameEncoder, IMusicEncoder) LoadEncoders() => (new ResNet18FrameEncoder(), new MusicnnEncoder());

    /// <summary>A moving test pattern with a chord that changes every 2 s (H.264 + AAC), made once and kept in the temp folder.</summary>
    static string MakeClip(double seconds, string size)
    {
        string path = Path.Combine(Path.GetTempPath(), $"viml-bench-{seconds:0}s-{size}.mp4");
        if (File.Exists(path)) return path;
        string tmp = path + ".part.mp4";
        var psi = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=25:duration={seconds}",
            "-f", "lavfi", "-i", $"aevalsrc=0.2*sin(2*PI*(220+110*mod(floor(t/2)\\,4))*t)+0.1*sin(2*PI*330*t)+0.05*random(0):s=44100:d={seconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", tmp,
        }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("ffmpeg: " + err);
        File.Move(tmp, path, true);
        return path;
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
