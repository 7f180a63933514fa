using Viml.Encoders;
using Viml.Media;

namespace Viml.Tests.Encoders;

/// <summary>Natural-looking synthetic RGB24 images: smooth two-colour gradients, a few soft shapes, a sinusoidal texture and fine noise.</summary>
static class TestImages
{
    public static RgbFrame Scene(int seed, int w = 224, int h = 224)
    {
        var rng = new Random(seed);
        float[] top = RandomColour(rng), bottom = RandomColour(rng);
        var shapes = Enumerable.Range(0, 3 + rng.Next(3)).Select(_ => (
            X: rng.NextSingle() * w, Y: rng.NextSingle() * h, R: (0.08f + 0.2f * rng.NextSingle()) * w,
            Colour: RandomColour(rng), Square: rng.Next(2) == 0)).ToArray();
        float fx = 0.02f + 0.15f * rng.NextSingle(), fy = 0.02f + 0.15f * rng.NextSingle(), amp = 10 + 25 * rng.NextSingle();
        float angle = rng.NextSingle() * MathF.PI;
        var px = new byte[w * h * 3];
        Span<float> c = stackalloc float[3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float t = (float)y / (h - 1);
                for (int k = 0; k < 3; k++) c[k] = top[k] * (1 - t) + bottom[k] * t;
                foreach (var s in shapes)
                {
                    float dx = x - s.X, dy = y - s.Y;
                    float d = s.Square ? MathF.Max(MathF.Abs(dx), MathF.Abs(dy)) : MathF.Sqrt(dx * dx + dy * dy);
                    float a = Math.Clamp((s.R - d) / 3f, 0f, 1f);   // soft edge
                    for (int k = 0; k < 3; k++) c[k] = c[k] * (1 - a) + s.Colour[k] * a;
                }
                float u = x * MathF.Cos(angle) + y * MathF.Sin(angle);
                float tex = amp * MathF.Sin(u * fx) * MathF.Cos(y * fy);
                float noise = (rng.NextSingle() - 0.5f) * 12;
                for (int k = 0; k < 3; k++) px[(y * w + x) * 3 + k] = (byte)Math.Clamp(c[k] + tex + noise, 0, 255);
            }
        return new RgbFrame(w, h, px);
    }

    /// <summary>A landscape with natural colour statistics: sky over ground (grass, sand, water or rock), a sun or moon,
    /// trees or rocks, soft texture and noise.</summary>
    public static RgbFrame Landscape(int seed, int w = 224, int h = 224)
    {
        var rng = new Random(seed);
        float[][] skies = [[120, 170, 230], [70, 120, 200], [250, 160, 90], [190, 200, 210]];
        float[][] grounds = [[70, 130, 50], [210, 185, 130], [30, 80, 130], [120, 110, 100], [40, 90, 30]];
        float[] sky = skies[rng.Next(skies.Length)], ground = grounds[rng.Next(grounds.Length)];
        float horizon = h * (0.35f + 0.3f * rng.NextSingle());
        var things = Enumerable.Range(0, 2 + rng.Next(4)).Select(_ => (X: rng.NextSingle() * w, Y: horizon + (rng.NextSingle() - 0.7f) * 60,
            R: 10 + 25 * rng.NextSingle(), Colour: rng.Next(2) == 0 ? new float[] { 30, 70, 25 } : [100, 95, 90])).ToArray();
        (float X, float Y, float R) sun = (rng.NextSingle() * w, horizon * rng.NextSingle() * 0.6f, 8 + 10 * rng.NextSingle());
        var px = new byte[w * h * 3];
        Span<float> c = stackalloc float[3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (y < horizon) { float t = y / horizon; for (int k = 0; k < 3; k++) c[k] = sky[k] * (1 - 0.3f * t) + 230 * 0.3f * t; }
                else { float t = (y - horizon) / (h - horizon); for (int k = 0; k < 3; k++) c[k] = ground[k] * (0.8f + 0.4f * t); }
                float ds = MathF.Sqrt((x - sun.X) * (x - sun.X) + (y - sun.Y) * (y - sun.Y));
                float a = Math.Clamp((sun.R - ds) / 2f, 0f, 1f);
                for (int k = 0; k < 3; k++) c[k] = c[k] * (1 - a) + (k == 2 ? 200 : 255) * a;
                foreach (var t in things)
                {
                    float dx = (x - t.X) / t.R, dy = (y - t.Y) / (1.6f * t.R);
                    float b = Math.Clamp((1 - MathF.Sqrt(dx * dx + dy * dy)) * 6, 0f, 1f);
                    for (int k = 0; k < 3; k++) c[k] = c[k] * (1 - b) + t.Colour[k] * b;
                }
                float tex = y > horizon ? 12 * MathF.Sin(x * 0.3f + y * 0.11f) * MathF.Sin(y * 0.7f) : 0;
                float noise = (rng.NextSingle() - 0.5f) * 10;
                for (int k = 0; k < 3; k++) px[(y * w + x) * 3 + k] = (byte)Math.Clamp(c[k] + tex + noise, 0, 255);
            }
        return new RgbFrame(w, h, px);
    }

    static float[] RandomColour(Random rng) => [rng.Next(256), rng.Next(256), rng.Next(256)];

    /// <summary>The same picture moved by (dx, dy) pixels (edges clamped) and brightened by <paramref name="brighten"/> levels.</summary>
    public static RgbFrame ShiftBrighten(RgbFrame f, int dx, int dy, int brighten)
    {
        var src = f.Pixels.Span; var px = new byte[src.Length];
        for (int y = 0; y < f.Height; y++)
            for (int x = 0; x < f.Width; x++)
            {
                int sx = Math.Clamp(x - dx, 0, f.Width - 1), sy = Math.Clamp(y - dy, 0, f.Height - 1);
                for (int k = 0; k < 3; k++) px[(y * f.Width + x) * 3 + k] = (byte)Math.Clamp(src[(sy * f.Width + sx) * 3 + k] + brighten, 0, 255);
            }
        return new RgbFrame(f.Width, f.Height, px);
    }

    public static RgbFrame Noise(int seed, int w = 224, int h = 224)
    {
        var px = new byte[w * h * 3]; new Random(seed).NextBytes(px); return new RgbFrame(w, h, px);
    }

    public static RgbFrame Constant(byte r, byte g, byte b, int w = 224, int h = 224)
    {
        var px = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) { px[3 * i] = r; px[3 * i + 1] = g; px[3 * i + 2] = b; }
        return new RgbFrame(w, h, px);
    }

    public static double Cosine(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
