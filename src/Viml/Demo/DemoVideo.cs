using System.Globalization;

namespace Viml.Demo;

/// <summary>
/// Generated silent videos whose look belongs to a music style (ffmpeg's synthetic sources):
/// the demo's stand-in for music videos, so that a model can learn which look goes with which music.
/// </summary>
public static class DemoVideo
{
    /// <summary>An ffmpeg lavfi graph for a video in the look of <paramref name="style"/>, jittered by the seed.</summary>
    public static string Filter(string style, int seed, double seconds, int width = 320, int height = 240)
    {
        var rng = new Random(seed);
        string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
        string Hex(int r, int g, int b) => $"0x{Math.Clamp(r, 0, 255):X2}{Math.Clamp(g, 0, 255):X2}{Math.Clamp(b, 0, 255):X2}";
        int J(int x) => x + rng.Next(-25, 26);
        string size = $"s={width}x{height}";
        string d = F(seconds);
        return style switch
        {
            "piano-ballad" => $"gradients={size}:c0={Hex(J(20), J(20), J(70))}:c1={Hex(J(50), J(70), J(140))}:speed={F(0.002 + rng.NextDouble() * 0.004)}:d={d}:seed={seed},format=yuv420p,noise=alls=6:allf=t",
            "rock" => $"testsrc2={size}:d={d},hue=h={F(rng.Next(-20, 20))}:s=2.5,eq=contrast=1.6,noise=alls=25:allf=t,colorchannelmixer=rr=1.2:gg=0.5:bb=0.5",
            "techno" => $"life={size}:mold=10:ratio={F(0.05 + rng.NextDouble() * 0.1)}:death_color=#000000:life_color={Hex(J(40), J(230), J(120)).Replace("0x", "#")}:mold_color=#ff00ff:seed={seed},trim=duration={d}",
            "strings" => $"mandelbrot={size}:end_scale={F(0.02 + rng.NextDouble() * 0.1)}:start_scale=3:end_pts={F(25 * seconds * (1 + rng.NextDouble()))},trim=duration={d}",
            "folk" => $"gradients={size}:c0={Hex(J(220), J(180), J(60))}:c1={Hex(J(80), J(160), J(60))}:c2={Hex(J(200), J(120), J(40))}:nb_colors=3:speed={F(0.01 + rng.NextDouble() * 0.02)}:d={d}:seed={seed},drawgrid=w=40:h=40:t=2:c=white@0.3",
            "jazz" => $"cellauto={size}:rule={new[] { 30, 90, 110, 150 }[rng.Next(4)]}:seed={seed}:scroll=1,trim=duration={d},colorchannelmixer=rr=0.6:rb=0.4:gg=0.2:bb=0.9:br=0.3",
            _ => throw new InvalidInputException($"unknown video style '{style}'"),
        };
    }
}
