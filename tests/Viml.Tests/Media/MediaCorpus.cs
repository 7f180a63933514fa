using System.Diagnostics;

namespace Viml.Tests.Media;

/// <summary>
/// Tiny media files made with ffmpeg's lavfi sources on first use (64x48, a few seconds), good and bad,
/// shared by the Media and Features tests and deleted when the test run ends.
/// </summary>
public static class MediaCorpus
{
    static readonly Lazy<string> _dir = new(() =>
    {
        string d = Path.Combine(Path.GetTempPath(), $"viml-media-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(d);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(d, true); } catch (IOException) { } };
        return d;
    });
    static readonly object Gate = new();
    static readonly Dictionary<string, string> Made = new();

    public static string Dir => _dir.Value;

    /// <summary>Runs ffmpeg once per file name; later calls return the same path.</summary>
    static string Make(string name, params string[] args)
    {
        lock (Gate)
        {
            if (Made.TryGetValue(name, out var done)) return done;
            string path = Path.Combine(Dir, name);
            Ffmpeg([.. args, path]);
            Made[name] = path;
            return path;
        }
    }

    public static void Ffmpeg(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-nostdin", "-v", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {err}");
    }

    const string X264 = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p";

    static string[] A(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>4 s of testsrc 64x48 at 25 fps with a 440 Hz sine (44.1 kHz, AAC): the ordinary music video.</summary>
    public static string MusicVideo => Make("av.mp4", [.. A("-f lavfi -i testsrc=size=64x48:rate=25:duration=4 -f lavfi -i sine=frequency=440:sample_rate=44100:duration=4"), .. A(X264), .. A("-c:a aac -shortest")]);

    /// <summary>The same with the index at the front (faststart), so that a truncated copy still probes.</summary>
    public static string MusicVideoFastStart => Make("av-faststart.mp4", [.. A("-f lavfi -i testsrc=size=64x48:rate=25:duration=4 -f lavfi -i sine=frequency=440:duration=4"), .. A(X264), .. A("-c:a aac -shortest -movflags +faststart")]);

    /// <summary>
    /// 25 s: red 0-10 s, blue 10-20 s, green 20-25 s (6 fps); audio 440 Hz 0-10 s, silence 10-20 s, 3 kHz 20-25 s (16 kHz).
    /// Three segments under the 10-s rule (the 5-s tail is kept).
    /// </summary>
    public static string Colours => Make("colours.mp4",
    [
        "-f", "lavfi", "-i", "color=c=red:s=64x48:r=6:d=10", "-f", "lavfi", "-i", "color=c=blue:s=64x48:r=6:d=10", "-f", "lavfi", "-i", "color=c=green:s=64x48:r=6:d=5",
        "-f", "lavfi", "-i", "aevalsrc=if(lt(t\\,10)\\,0.5*sin(2*PI*440*t)\\,if(lt(t\\,20)\\,0\\,0.5*sin(2*PI*3000*t))):s=16000:d=25",
        "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0[v]", "-map", "[v]", "-map", "3:a", .. A(X264), "-c:a", "aac", "-b:a", "64k",
    ]);

    /// <summary>2 s of 16-kHz mono PCM, 440 Hz at amplitude 0.5.</summary>
    public static string Wav => Make("tone.wav", A("-f lavfi -i sine=frequency=440:sample_rate=16000:duration=2 -af volume=4 -c:a pcm_s16le"));

    /// <summary>25 s of audio alone (a song for a separate-audio item).</summary>
    public static string Song => Make("song.wav", A("-f lavfi -i sine=frequency=1000:sample_rate=16000:duration=25 -c:a pcm_s16le"));

    /// <summary>25 s of video whose 440-Hz audio stream stops after 5 s.</summary>
    public static string AudioEndsEarly => Make("audio-ends-early.mp4", [.. A("-f lavfi -i testsrc=size=64x48:rate=6:duration=25 -f lavfi -i sine=frequency=440:sample_rate=16000:duration=5"), .. A(X264), .. A("-c:a aac")]);

    public static string VideoOnly => Make("video-only.mp4", [.. A("-f lavfi -i testsrc=size=64x48:rate=6:duration=3"), .. A(X264)]);
    public static string AudioOnly => Make("audio-only.m4a", A("-f lavfi -i sine=duration=3 -c:a aac"));
    public static string OnePixel => Make("one-pixel.mp4", A("-f lavfi -i testsrc=size=64x48:rate=6:duration=2 -vf scale=1:1 -c:v libx264 -preset ultrafast -pix_fmt yuv444p"));
    public static string Huge => Make("huge.mkv", A("-f lavfi -i color=c=red:s=8000x8000:r=1:d=1 -c:v mjpeg -q:v 31"));
    public static string TooShort => Make("short.mp4", [.. A("-f lavfi -i testsrc=size=64x48:rate=25:duration=0.2 -f lavfi -i sine=duration=0.2"), .. A(X264), .. A("-c:a aac -shortest")]);

    /// <summary>The first 40% of <see cref="MusicVideo"/>: its index (at the end) is gone.</summary>
    public static string Truncated => Cut("truncated.mp4", MusicVideo, 0.4);
    /// <summary>The first 40% of <see cref="MusicVideoFastStart"/>: it probes (index first) but the streams stop early.</summary>
    public static string TruncatedFastStart => Cut("truncated-faststart.mp4", MusicVideoFastStart, 0.4);

    public static string ZeroBytes => Write("zero.mp4", []);
    public static string RandomBytes => Write("random.mp4", RandomBytesOf(4096));
    public static string Missing => Path.Combine(Dir, "no-such-file.mp4");

    static byte[] RandomBytesOf(int n) { var b = new byte[n]; new Random(7).NextBytes(b); return b; }

    static string Cut(string name, string source, double fraction)
    {
        lock (Gate)
        {
            if (Made.TryGetValue(name, out var done)) return done;
            var bytes = File.ReadAllBytes(source);
            string path = Path.Combine(Dir, name);
            File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
            return Made[name] = path;
        }
    }

    static string Write(string name, byte[] bytes)
    {
        lock (Gate)
        {
            if (Made.TryGetValue(name, out var done)) return done;
            string path = Path.Combine(Dir, name);
            File.WriteAllBytes(path, bytes);
            return Made[name] = path;
        }
    }
}
