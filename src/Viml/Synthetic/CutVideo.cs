using System.Globalization;

namespace Viml.Synthetic;

/// <summary>A generated video whose shot cuts are known: the ffmpeg filter graph that draws it, the cut times
/// (the middle of a gradual transition), and the times of white flashes, which are not cuts.</summary>
public sealed record CutPiece(string Name, string Graph, double[] Cuts, double[] Flashes, double Seconds);

/// <summary>
/// Videos for measuring cut detection: shots in the demo's looks (<see cref="DemoVideo"/>) and a restless
/// cellular-automaton look, some with a camera pan or shake, joined by hard cuts, dissolves and fades through
/// black, with white flashes inside shots. Deterministic for a seed.
/// </summary>
public static class CutVideo
{
    const int Width = 320, Height = 240;

    /// <param name="shotSeconds">every shot this long (±10 %), e.g. so that cuts follow a tempo; null: 1.5-5.5 s.</param>
    public static CutPiece Compose(int seed, double seconds = 30, double? shotSeconds = null)
    {
        var rng = new Random(seed);
        string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
        var shots = new List<string>();
        var cuts = new List<double>();
        var graph = new List<string>();
        double length = 0;
        int i = 0;
        while (length < seconds - 1.5)
        {
            double d = Math.Min(shotSeconds is double shot ? shot * (0.9 + 0.2 * rng.NextDouble()) : 1.5 + rng.NextDouble() * 4, seconds - length + 1);
            string look = rng.Next(4) switch { 0 => "night", 1 => "neon", 2 => "sunny", _ => "life" };
            string source = look == "life"
                ? $"life=s={Width}x{Height}:mold=10:r=25:ratio=0.{rng.Next(1, 5)}:seed={rng.Next(1000)}:death_color=#{rng.Next(0x1000000):X6}:life_color=#{rng.Next(0x1000000):X6},trim=duration={F(d + 2)}"
                : DemoVideo.Filter(look, rng.Next(100000), d + 2, Width, Height);
            string move = rng.Next(3) switch
            {
                0 => $",crop=240:180:'(iw-240)*t/{F(d + 2)}':'(ih-180)/2',scale={Width}:{Height}",   // pan
                1 => $",crop=280:210:'20+18*sin(t*6)':'15+12*cos(t*5)',scale={Width}:{Height}",      // shake
                _ => "",
            };
            graph.Add($"{source}{move},fps=25,format=yuv420p,setsar=1,settb=AVTB[s{i}]");
            if (i == 0) { graph.Add($"[s0]trim=duration={F(d)},setpts=PTS-STARTPTS[v0]"); length = d; }
            else
            {
                int kind = rng.Next(3);
                double t = 0.6 + rng.NextDouble() * 0.6;
                graph.Add($"[s{i}]trim=duration={F(d + (kind == 0 ? 0 : t))},setpts=PTS-STARTPTS[t{i}]");
                if (kind == 0)
                {
                    graph.Add($"[v{i - 1}][t{i}]concat=n=2:v=1:a=0[v{i}]");
                    cuts.Add(length);
                    length += d;
                }
                else
                {
                    string transition = kind == 1 ? "fade" : "fadeblack";
                    graph.Add($"[v{i - 1}][t{i}]xfade=transition={transition}:duration={F(t)}:offset={F(length - t)}[v{i}]");
                    cuts.Add(length - t / 2);
                    length += d;
                }
            }
            i++;
        }
        var flashes = new List<double>();
        var boxes = new List<string>();
        for (int k = 0; k < 1 + rng.Next(3); k++)
        {
            double at = 1 + rng.NextDouble() * (length - 2);
            if (cuts.Any(c => Math.Abs(c - at) < 1)) continue;
            double len = 0.1 + rng.NextDouble() * 0.15;
            flashes.Add(at);
            boxes.Add($"drawbox=x=0:y=0:w=iw:h=ih:c=white@0.9:t=fill:enable='between(t,{F(at)},{F(at + len)})'");
        }
        string tail = boxes.Count > 0 ? "," + string.Join(",", boxes) : "";
        graph.Add($"[v{i - 1}]trim=duration={F(Math.Min(length, seconds))}{tail}[out]");
        return new CutPiece($"cuts-{seed}", string.Join(";", graph), cuts.Where(c => c < seconds).ToArray(), flashes.ToArray(), Math.Min(length, seconds));
    }

    /// <summary>Renders the piece to an H.264 MP4 (25 fps), written atomically.</summary>
    public static void Render(CutPiece piece, string output, CancellationToken ct = default) =>
        Viml.IO.AtomicFile.WriteVia(output, tmp => Renderer.RunFfmpeg(ct, "-nostdin", "-v", "error", "-y", "-filter_complex", piece.Graph,
            "-map", "[out]", "-r", "25", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-f", "mp4", tmp));
}
