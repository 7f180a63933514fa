using System.Globalization;

namespace Viml.Synthetic;

/// <summary>
/// Generated silent videos in a few looks (ffmpeg's synthetic sources): the demo's stand-in for music videos.
/// Two music styles share each look, so a video narrows the music down to a pair and only words (the
/// texts made from each piece's tags) can tell the two apart: the situation the method is built for
/// ("this clip, but jazz").
/// </summary>
public static class DemoVideo
{
    /// <summary>The look of each music style's videos.</summary>
    public static readonly IReadOnlyDictionary<string, string> LookOf = new Dictionary<string, string>
    {
        ["piano-ballad"] = "night", ["strings"] = "night",
        ["rock"] = "neon", ["techno"] = "neon",
        ["folk"] = "sunny", ["jazz"] = "sunny",
    };

    public static IReadOnlyList<string> Looks { get; } = ["night", "neon", "sunny"];

    /// <summary>An ffmpeg lavfi graph for a video in <paramref name="look"/>, jittered by the seed.</summary>
    public static string Filter(string look, int seed, double seconds, int width = 320, int height = 240)
    {
        var rng = new Random(seed);
        string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
        string Hex(int r, int g, int b) => $"0x{Math.Clamp(r, 0, 255):X2}{Math.Clamp(g, 0, 255):X2}{Math.Clamp(b, 0, 255):X2}";
        int J(int x) => x + rng.Next(-25, 26);
        string size = $"s={width}x{height}";
        string d = F(seconds);
        return look switch
        {
            "night" => $"gradients={size}:c0={Hex(J(20), J(20), J(70))}:c1={Hex(J(50), J(70), J(140))}:speed={F(0.002 + rng.NextDouble() * 0.004)}:d={d}:seed={seed},format=yuv420p,noise=alls=6:allf=t",
            "neon" => $"testsrc2={size}:d={d},hue=h={F(rng.Next(-20, 20))}:s=2.5,eq=contrast=1.6,noise=alls=25:allf=t,colorchannelmixer=rr=1.2:gg=0.5:bb=0.5",
            "sunny" => $"gradients={size}:c0={Hex(J(220), J(180), J(60))}:c1={Hex(J(80), J(160), J(60))}:c2={Hex(J(200), J(120), J(40))}:nb_colors=3:speed={F(0.01 + rng.NextDouble() * 0.02)}:d={d}:seed={seed},drawgrid=w=40:h=40:t=2:c=white@0.3",
            _ => throw new InvalidInputException($"unknown video look '{look}' (known: {string.Join(", ", Looks)})"),
        };
    }
}
