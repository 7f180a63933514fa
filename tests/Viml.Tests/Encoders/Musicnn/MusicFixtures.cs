using System.Runtime.InteropServices;
using Viml.IO;

namespace Viml.Tests.Encoders.Musicnn;

static class MusicFixtures
{
    public static string Dir => Path.Combine(ProjectPaths.Root, "tests", "Viml.Tests", "Encoders", "Musicnn", "Fixtures");

    public static float[] ReadF32(string name) =>
        MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Dir, name))).ToArray();

    public static string Weights(string relative) => ProjectPaths.Vendored(Path.Combine("models", "music", relative));

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}
