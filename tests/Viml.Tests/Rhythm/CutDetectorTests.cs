using Viml.Media;
using Viml.Rhythm;
using Viml.Synthetic;

namespace Viml.Tests.Rhythm;

public class CutDetectorTests
{
    const int W = 64, H = 48;

    /// <summary>A frame of two colour bands whose border sits at <paramref name="shift"/> (a camera pan moves it).</summary>
    static byte[] Frame((byte R, byte G, byte B) top, (byte R, byte G, byte B) bottom, int shift = 0, double gain = 1)
    {
        var px = new byte[W * H * 3];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                var c = (x + shift) % W < W / 2 ? top : bottom;
                int i = (y * W + x) * 3;
                px[i] = (byte)(c.R * gain); px[i + 1] = (byte)(c.G * gain); px[i + 2] = (byte)(c.B * gain);
            }
        return px;
    }

    [Fact]
    public void Hard_cuts_are_found_and_flashes_and_pans_are_not()
    {
        var det = new CutDetector(2);
        var a = ((byte)200, (byte)40, (byte)40); var b = ((byte)30, (byte)60, (byte)200);
        var c = ((byte)20, (byte)180, (byte)40); var d = ((byte)230, (byte)220, (byte)60);
        int i = 0;
        void Add(byte[] f) => det.Add((i++ + 0.5) / 2, f, W, H);
        for (int k = 0; k < 8; k++) Add(Frame(a, b, shift: 4 * k));      // a pan: 0-4 s
        for (int k = 0; k < 8; k++) Add(Frame(c, d));                    // cut at 4 s
        Add(Frame(((byte)255, (byte)255, (byte)255), ((byte)255, (byte)255, (byte)255)));   // one white flash at 8 s
        for (int k = 0; k < 7; k++) Add(Frame(c, d));
        var pace = det.Finish();
        Assert.Equal([4.0], pace.Cuts);
        Assert.Equal(60.0 / 12, pace.CutsPerMinute, 6);
        Assert.True(pace.Motion > 0);
    }

    [Fact]
    public void A_fade_through_black_is_one_cut_in_its_middle()
    {
        var det = new CutDetector(6);
        var a = ((byte)200, (byte)40, (byte)40); var b = ((byte)30, (byte)60, (byte)200);
        var c = ((byte)20, (byte)180, (byte)40); var d = ((byte)230, (byte)220, (byte)60);
        int i = 0;
        void Add(byte[] f) => det.Add((i++ + 0.5) / 6, f, W, H);
        for (int k = 0; k < 18; k++) Add(Frame(a, b));
        for (int k = 1; k <= 4; k++) Add(Frame(a, b, gain: 1 - k / 4.0));   // fade out over 4 frames
        for (int k = 0; k <= 4; k++) Add(Frame(c, d, gain: k / 4.0));       // and in
        for (int k = 0; k < 18; k++) Add(Frame(c, d));
        var cuts = det.Finish().Cuts;
        Assert.Single(cuts);
        Assert.InRange(cuts[0], 3.0 + 4 / 6.0 - 0.5, 3.0 + 4 / 6.0 + 0.5);
    }

    [Fact]
    public void No_cut_is_looked_for_across_a_gap_between_sampled_stretches()
    {
        var det = new CutDetector(2);
        var a = ((byte)200, (byte)40, (byte)40); var c = ((byte)20, (byte)180, (byte)40);
        for (int k = 0; k < 6; k++) det.Add(0.25 + k * 0.5, Frame(a, a), W, H);
        for (int k = 0; k < 6; k++) det.Add(60.25 + k * 0.5, Frame(c, c), W, H);
        Assert.Empty(det.Finish().Cuts);
    }

    [Fact]
    [Trait("Category", "E2E")]
    public void Cuts_of_a_generated_video_are_found_from_two_frames_a_second()
    {
        var dir = Directory.CreateTempSubdirectory("viml-cuts-").FullName;
        try
        {
            var piece = CutVideo.Compose(seed: 7, seconds: 14);
            string file = Path.Combine(dir, "v.mp4");
            CutVideo.Render(piece, file);
            var det = new CutDetector(2);
            int i = 0;
            foreach (var f in FrameDecoder.Decode(file, 2, 224, 224)) det.Add((i++ + 0.5) / 2, f.Pixels.Span, f.Width, f.Height);
            var found = det.Finish().Cuts;
            int hits = piece.Cuts.Count(t => found.Any(c => Math.Abs(c - t) <= 0.5));
            Assert.True(hits >= piece.Cuts.Length - 1, $"truth {string.Join(" ", piece.Cuts)}; found {string.Join(" ", found)}");
            Assert.True(found.Length <= piece.Cuts.Length + 1, $"truth {string.Join(" ", piece.Cuts)}; found {string.Join(" ", found)}");
        }
        finally { Directory.Delete(dir, true); }
    }
}
