using System.Diagnostics;

namespace Viml.Synthetic;

/// <summary>Renders MIDI to audio with the fluidsynth program and a General MIDI soundfont, and
/// generated videos with ffmpeg; both Debian packages.</summary>
public static class Renderer
{
    public const string DefaultSoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

    /// <summary>MIDI bytes to an audio file; the container/codec follows the output extension (via ffmpeg).</summary>
    /// <param name="seconds">cut the synthesiser's release tail at this length (null keeps all).</param>
    public static void RenderMidi(byte[] midi, string output, double? seconds = null, string soundFont = DefaultSoundFont, CancellationToken ct = default)
    {
        if (!File.Exists(soundFont)) throw new VimlException($"{soundFont}: General MIDI soundfont not found (install fluid-soundfont-gm)");
        WriteThroughTemp(output, tmp =>
        {
            string dir = Path.GetDirectoryName(tmp)!;
            string mid = Path.Combine(dir, $".{Guid.NewGuid():N}.mid"), wav = Path.Combine(dir, $".{Guid.NewGuid():N}.wav");
            try
            {
                File.WriteAllBytes(mid, midi);
                Run("fluidsynth", ct, "-ni", "-q", "-g", "0.7", "-r", "44100", "-F", wav, "-T", "wav", soundFont, mid);
                var cut = seconds is double s ? new[] { "-t", s.ToString(System.Globalization.CultureInfo.InvariantCulture) } : Array.Empty<string>();
                Run("ffmpeg", ct, ["-nostdin", "-v", "error", "-y", "-i", wav, .. cut, "-ac", "2", tmp]);
            }
            finally
            {
                foreach (var f in new[] { mid, wav }) try { File.Delete(f); } catch (IOException) { }
            }
        });
    }

    /// <summary>A silent video from a lavfi filter graph (H.264 in MP4, 25 fps).</summary>
    public static void RenderVideo(string filter, string output, CancellationToken ct = default) =>
        WriteThroughTemp(output, tmp =>
            Run("ffmpeg", ct, "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", filter, "-r", "25", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", tmp));

    /// <summary>Lets a program write a hidden temp file beside <paramref name="output"/> (same extension, so
    /// ffmpeg picks the same container), then renames it over the output; the temp file never outlives the call.</summary>
    static void WriteThroughTemp(string output, Action<string> write)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Guid.NewGuid():N}{Path.GetExtension(output)}");
        try
        {
            write(tmp);
            File.Move(tmp, output, overwrite: true);
        }
        finally { try { File.Delete(tmp); } catch (IOException) { } }
    }

    /// <summary>Runs ffmpeg with the arguments given; its last error line on failure.</summary>
    internal static void RunFfmpeg(CancellationToken ct, params string[] args) => Run("ffmpeg", ct, args);

    static void Run(string program, CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new VimlException($"{program}: not installed ({e.Message}); run scripts/setup", e); }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync(ct);
            _ = p.StandardOutput.ReadToEndAsync(ct);
            if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new VimlException($"{program} timed out"); }
            if (p.ExitCode != 0) throw new VimlException($"{program} failed ({p.ExitCode}): {err.Result.Trim().Split('\n').LastOrDefault()}");
        }
    }
}
