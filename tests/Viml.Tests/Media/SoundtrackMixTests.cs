using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Viml.Media;
using Viml.Tests.Catalog;

namespace Viml.Tests.Media;

public class SoundtrackMixTests
{
    static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output + err.Result;
    }

    static string VideoMd5(string file) => Run("ffmpeg", "-v", "error", "-i", file, "-map", "0:v", "-c", "copy", "-f", "md5", "-");

    static (string Dir, string Video, string Music) Material()
    {
        var dir = Directory.CreateTempSubdirectory("viml-mix-").FullName;
        string video = Path.Combine(dir, "clip.mp4"), music = Path.Combine(dir, "song.wav");
        TestParts.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=6", "-f", "lavfi", "-i", "sine=f=300:d=6",
            "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-shortest", video);
        TestParts.Tone(music, 440, 20);
        return (dir, video, music);
    }

    [Fact]
    public void Music_goes_under_the_video_at_the_videos_length_with_the_picture_copied_and_loudness_normalised()
    {
        var (dir, video, music) = Material();
        try
        {
            string output = Path.Combine(dir, "out.mp4");
            SoundtrackMix.Render(video, music, output, new SoundtrackOptions(Start: 5, KeepAudio: 0.5));
            var info = MediaProbe.Probe(output);
            Assert.InRange(info.Duration, 5.9, 6.1);
            Assert.NotNull(info.Audio);
            Assert.Equal("h264", info.Video!.Codec);
            Assert.Equal(VideoMd5(video), VideoMd5(output));
            var streams = Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["video", "audio"], streams);
            var summary = Run("ffmpeg", "-nostats", "-i", output, "-map", "0:a", "-af", "ebur128", "-f", "null", "-");
            double lufs = double.Parse(Regex.Matches(summary, @"I:\s+(-?[\d.]+) LUFS").Last().Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(lufs, -19, -13);   // -16 LUFS target, fades and the kept original sound around it
            string silent = Path.Combine(dir, "silent.mp4"), dropped = Path.Combine(dir, "dropped.mp4");
            TestParts.Video(silent, 4);
            SoundtrackMix.Render(silent, music, dropped, new SoundtrackOptions(Start: 1.5));
            Assert.InRange(MediaProbe.Probe(dropped).Duration, 3.9, 4.1);
            Assert.Equal(VideoMd5(silent), VideoMd5(dropped));
            Assert.Empty(Directory.GetFiles(dir, ".*"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void What_ffmpeg_cannot_do_is_a_clear_error_and_leaves_no_file()
    {
        var (dir, video, music) = Material();
        try
        {
            string output = Path.Combine(dir, "out.mp4");
            var noPicture = Assert.Throws<MediaException>(() => SoundtrackMix.Render(music, music, output, new SoundtrackOptions()));
            Assert.Contains("no video stream", noPicture.Message);
            var late = Assert.Throws<InvalidInputException>(() => SoundtrackMix.Render(video, music, output, new SoundtrackOptions(Start: 25)));
            Assert.Contains("past the end", late.Message);
            Assert.Throws<InvalidInputException>(() => SoundtrackMix.Render(video, music, Path.Combine(dir, "out.avi"), new SoundtrackOptions()));
            Assert.Throws<InvalidInputException>(() => SoundtrackMix.Render(video, music, output, new SoundtrackOptions(KeepAudio: 1.5)));
            string broken = Path.Combine(dir, "broken.wav");
            File.WriteAllBytes(broken, new byte[1000]);
            Assert.ThrowsAny<MediaException>(() => SoundtrackMix.Render(video, broken, output, new SoundtrackOptions()));
            Assert.False(File.Exists(output));
            Assert.Empty(Directory.GetFiles(dir, ".*"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
