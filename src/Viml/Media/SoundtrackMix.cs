namespace Viml.Media;

/// <summary>How a piece of music is laid under a video: where in the music to start, how much of the video's own
/// sound to keep (0 = none, 1 = all of it), the fades, and the music's loudness target (EBU R128, LUFS).</summary>
public sealed record SoundtrackOptions(double Start = 0, double KeepAudio = 0, double FadeIn = 0.25, double FadeOut = 2,
    double Loudness = -16)
{
    public void Validate()
    {
        if (!double.IsFinite(Start) || Start < 0) throw new InvalidInputException($"--start {Start}: must be a time in seconds, 0 or more");
        if (!double.IsFinite(KeepAudio) || KeepAudio is < 0 or > 1) throw new InvalidInputException($"--keep-audio {KeepAudio}: must be between 0 and 1");
        if (!double.IsFinite(FadeIn) || FadeIn < 0 || !double.IsFinite(FadeOut) || FadeOut < 0) throw new InvalidInputException("fades must be 0 or more seconds");
        if (!double.IsFinite(Loudness) || Loudness is < -70 or > -5) throw new InvalidInputException($"loudness {Loudness} LUFS: must be -70..-5");
    }
}

/// <summary>
/// Puts music under a video with ffmpeg: the video stream is copied (no re-encode); the music, from
/// <see cref="SoundtrackOptions.Start"/>, is cut or padded to the video's length, loudness-normalised (<c>loudnorm</c>,
/// EBU R128), faded in and out, and mixed with the video's own sound at <see cref="SoundtrackOptions.KeepAudio"/>;
/// audio is AAC. The output's container follows its extension (.mp4, .m4v, .mov, .mkv) and appears whole or not at all.
/// </summary>
public static class SoundtrackMix
{
    static readonly Dictionary<string, string> Formats = new(StringComparer.OrdinalIgnoreCase)
        { [".mp4"] = "mp4", [".m4v"] = "mp4", [".mov"] = "mov", [".mkv"] = "matroska" };

    public static void Render(string video, string music, string output, SoundtrackOptions options, CancellationToken ct = default)
    {
        options.Validate();
        if (!Formats.TryGetValue(Path.GetExtension(output), out var format))
            throw new InvalidInputException($"{output}: the output must end in {string.Join(", ", Formats.Keys)}");
        var v = MediaProbe.Probe(video, ct);
        if (v.Video is null) throw new MediaException(video, "no video stream to put music under");
        var m = MediaProbe.Probe(music, ct);
        if (m.Audio is null) throw new MediaException(music, "no audio stream");
        if (options.Start >= m.Duration) throw new InvalidInputException($"--start {options.Start:0.##} s is past the end of {music} ({m.Duration:0.##} s)");
        if (Path.GetFullPath(output) == Path.GetFullPath(video)) throw new InvalidInputException($"{output}: the output would overwrite the video");

        double d = v.Duration;
        double fadeIn = Math.Min(options.FadeIn, d / 4), fadeOut = Math.Min(options.FadeOut, d / 4);
        string F(double x) => TimeRange.F(x);
        string musicChain = $"[1:a]atrim=0:{F(d)},asetpts=PTS-STARTPTS,loudnorm=I={F(options.Loudness)}:TP=-1.5:LRA=11,"
            + $"aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_dur={F(d)},afade=t=in:d={F(fadeIn)},afade=t=out:st={F(Math.Max(0, d - fadeOut))}:d={F(fadeOut)}";
        bool keep = options.KeepAudio > 0 && v.Audio is not null;
        string graph = keep
            ? $"{musicChain}[m];[0:{v.Audio!.StreamIndex}]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,volume={F(options.KeepAudio)}[o];"
              + "[m][o]amix=inputs=2:duration=first:normalize=0[a]"
            : $"{musicChain}[a]";

        Viml.IO.AtomicFile.WriteVia(output, tmp =>
        {
            string[] args =
            [
                "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", "file:" + Path.GetFullPath(video),
                .. TimeRange.Seek(options.Start), "-i", "file:" + Path.GetFullPath(music),
                "-filter_complex", graph, "-map", $"0:{v.Video.StreamIndex}", "-map", "[a]",
                "-c:v", "copy", "-c:a", "aac", "-b:a", "192k", "-t", F(d), "-f", format,
                .. format is "mp4" or "mov" ? new[] { "-movflags", "+faststart" } : [],
                "-progress", "pipe:1", "-nostats", tmp,
            ];
            using var run = MediaProcess.Start(MediaProcess.Ffmpeg, args, Path.GetFullPath(video), MediaLimits.DecodeIdleTimeout, ct);
            var sink = new byte[4096];
            while (run.ReadFull(sink) > 0) { }   // progress lines keep the stall watchdog quiet on long videos
            int exit = run.WaitForExit();
            if (exit != 0)
                throw new MediaException(video, $"ffmpeg could not put {Path.GetFileName(music)} under it: " + run.LastErrors($"exit code {exit}"));
        });
    }
}
