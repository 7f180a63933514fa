using System.Diagnostics;
using System.Security.Cryptography;
using Viml.Synthetic;
using Viml.Encoders;
using Viml.Media;
using System.Numerics.Tensors;

namespace Viml.Bench;

/// <summary>
/// int8 ResNet18 recipes against fp32 on 24 generated clips in the demo's looks (seeds not used in calibration), one
/// 10-s segment each at 2 frames/s: cosine of the segment means, same top-10 set when each clip queries the fp32 means,
/// and CPU-ms per frame (48 frames, fp32 and int8 interleaved, best of 2). A recipe is
/// <c>percentile:float head convs:float head adds:float tail adds</c>.
/// Usage: int8recipes [--recipes 0.9999:1:0:0;0.9999:3:1:0;0.9999:5:2:0]
/// </summary>
static class Int8RecipeBench
{
    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--recipes");
        string recipes = at >= 0 && at + 1 < args.Length ? args[at + 1] : "0.9999:1:0:0;0.9999:3:1:0;0.9999:5:2:0";
        string dir = Directory.CreateTempSubdirectory("viml-int8v-").FullName;
        using var fp32 = new ResNet18FrameEncoder();
        string fp32Path = ResNet18FrameEncoder.FindModelFile(ResNet18FrameEncoder.ModelFile);
        byte[] source = File.ReadAllBytes(fp32Path);
        string hash = Convert.ToHexStringLower(SHA256.HashData(source))[..16];
        var pre = new FramePreprocessor(224, 224, TensorLayout.NCHW, ChannelOrder.BGR, 1f, [0, 0, 0], [1, 1, 1], ResNet18FrameEncoder.MeanImage());
        var calib = ResNet18Int8Model.CalibrationFrames();
        var clips = DemoVideo.Looks.SelectMany(look => Enumerable.Range(200, 8).Select(seed => (look, seed))).ToList();
        var frames = new List<List<RgbFrame>>();
        foreach (var (look, seed) in clips)
        {
            string video = Path.Combine(dir, $"{look}-{seed}.mp4");
            Renderer.RenderVideo(ResNet18Int8Model.Seeded(DemoVideo.Filter(look, seed, 10), seed), video);
            frames.Add(FrameDecoder.Decode(video, 2, 224, 224).ToList());
        }
        var a = frames.Select(f => Mean(fp32.Embed(f))).ToList();
        var speed = frames.SelectMany(f => f).Take(48).ToList();
        var variants = recipes.Split(';');
        foreach (var v in variants)
        {
            var p = v.Split(':');
            byte[] model = ResNet18Int8Model.Build(source, pre, calib, double.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[1]), int.Parse(p[2]), int.Parse(p[3]));
            string cache = Path.Combine(dir, "c" + v.Replace(':', '_'));
            Directory.CreateDirectory(Path.Combine(cache, "models"));
            File.WriteAllBytes(Path.Combine(cache, "models", $"resnet18-int8-r{ResNet18Int8Model.RecipeVersion}-{hash}.onnx"), model);
            using var int8 = new ResNet18FrameEncoder(precision: FramePrecision.Int8, cacheFolder: cache);
            var b = frames.Select(f => Mean(int8.Embed(f))).ToList();
            var cos = a.Zip(b, Cosine).ToList();
            int sameTop10 = 0;
            for (int q = 0; q < clips.Count; q++) if (Top10(a[q], a).Order().SequenceEqual(Top10(b[q], a).Order())) sameTop10++;
            double fa = 1e9, fb = 1e9;
            for (int r = 0; r < 2; r++) { fa = Math.Min(fa, Cpu(() => fp32.Embed(speed))); fb = Math.Min(fb, Cpu(() => int8.Embed(speed))); }
            Console.WriteLine($"recipe {v}: cosine min {cos.Min():F5} mean {cos.Average():F5}; worst {clips[cos.IndexOf(cos.Min())]}; same top-10 set {sameTop10}/24; CPU-ms/frame fp32 {fa * 1000 / 48:F1} int8 {fb * 1000 / 48:F1} (x{fa / fb:F2})");
        }
        Directory.Delete(dir, true);
        return 0;
    }

    static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity<float>(a, b);

    static double Cpu(Action f) { var p = Process.GetCurrentProcess(); var s = p.TotalProcessorTime; f(); p.Refresh(); return (p.TotalProcessorTime - s).TotalSeconds; }
    static int[] Top10(float[] query, List<float[]> catalog) =>
        Enumerable.Range(0, catalog.Count).OrderByDescending(i => Cosine(query, catalog[i])).Take(10).ToArray();
    static float[] Mean(float[][] rows)
    {
        var m = new float[rows[0].Length];
        foreach (var r in rows) for (int i = 0; i < m.Length; i++) m[i] += r[i] / rows.Length;
        return m;
    }
}
