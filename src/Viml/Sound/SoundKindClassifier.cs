using System.Text.Json;
using System.Text.Json.Serialization;
using Viml.IO;

namespace Viml.Sound;

/// <summary>
/// Multinomial logistic regression over standardised <see cref="SoundFeatures"/>: <c>p(kind) = softmax(W z + b)</c>,
/// <c>z = (x − mean) / scale</c>. The shipped weights (<c>sound_kinds.json</c>) were fitted on audio generated on this
/// machine by <c>bench words soundkinds</c>: espeak-ng speech, fluidsynth music, mixes of the two, and ffmpeg noise,
/// ambience, tones and silence (docs/words.md has the accuracy per class).
/// </summary>
public sealed class SoundKindClassifier
{
    public sealed record Weights(
        [property: JsonPropertyName("features")] string[] Features,
        [property: JsonPropertyName("mean")] float[] Mean,
        [property: JsonPropertyName("scale")] float[] Scale,
        [property: JsonPropertyName("w")] float[][] W,
        [property: JsonPropertyName("b")] float[] B);

    readonly Weights _w;

    public SoundKindClassifier(Weights w)
    {
        if (w.Mean.Length != SoundFeatures.Names.Length || w.W.Length != 3 || w.W.Any(r => r.Length != w.Mean.Length))
            throw new ConfigException($"sound kind weights: expected 3 x {SoundFeatures.Names.Length} weights");
        _w = w;
    }

    static readonly Lazy<SoundKindClassifier> _default = new(() =>
    {
        using var s = EmbeddedFile.Open("sound_kinds.json");
        return new SoundKindClassifier(JsonSerializer.Deserialize<Weights>(s) ?? throw new ConfigException("sound_kinds.json is empty"));
    });

    /// <summary>The classifier shipped with Viml.</summary>
    public static SoundKindClassifier Default => _default.Value;

    public Weights Parameters => _w;

    public float[] Probabilities(float[] features)
    {
        var z = features.Select((x, i) => (x - _w.Mean[i]) / _w.Scale[i]).ToArray();
        var logits = _w.W.Select((row, k) => row.Zip(z, (a, b) => a * b).Sum() + _w.B[k]).ToArray();
        float max = logits.Max();
        var e = logits.Select(l => MathF.Exp(l - max)).ToArray();
        float sum = e.Sum();
        return e.Select(x => x / sum).ToArray();
    }

    public SoundKind Classify(float[] features)
    {
        var p = Probabilities(features);
        return (SoundKind)Array.IndexOf(p, p.Max());
    }

    /// <summary>The kind of a whole track from its segments' kinds: the most frequent, music winning ties
    /// (a song with a spoken intro is still a song).</summary>
    public static SoundKind Majority(IEnumerable<SoundKind> segments)
    {
        var counts = segments.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count == 0) return SoundKind.Other;
        int top = counts.Values.Max();
        return new[] { SoundKind.Music, SoundKind.Speech, SoundKind.Other }.First(k => counts.GetValueOrDefault(k) == top);
    }

    /// <summary>Fits the weights by full-batch gradient descent on the cross-entropy with a small L2 penalty.</summary>
    public static SoundKindClassifier Fit(IReadOnlyList<(float[] Features, SoundKind Kind)> data, int epochs = 3000, float rate = 0.5f, float l2 = 1e-3f)
    {
        int d = SoundFeatures.Names.Length, n = data.Count;
        var mean = Enumerable.Range(0, d).Select(j => data.Average(x => x.Features[j])).ToArray();
        var scale = Enumerable.Range(0, d).Select(j => MathF.Max(1e-6f, MathF.Sqrt(data.Average(x => (x.Features[j] - mean[j]) * (x.Features[j] - mean[j]))))).ToArray();
        var z = data.Select(x => x.Features.Select((v, j) => (v - mean[j]) / scale[j]).ToArray()).ToArray();
        var w = new float[3][]; for (int k = 0; k < 3; k++) w[k] = new float[d];
        var b = new float[3];
        // Classes weighted to count alike whatever their number of examples.
        var classWeight = Enumerable.Range(0, 3).Select(k => n / (3f * Math.Max(1, data.Count(x => (int)x.Kind == k)))).ToArray();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var gw = new float[3][]; for (int k = 0; k < 3; k++) gw[k] = new float[d];
            var gb = new float[3];
            var model = new SoundKindClassifier(new Weights(SoundFeatures.Names, mean, Enumerable.Repeat(1f, d).ToArray(), w, b));
            for (int i = 0; i < n; i++)
            {
                var p = model.Probabilities(z[i].Select((v, j) => v + mean[j]).ToArray());
                int y = (int)data[i].Kind;
                for (int k = 0; k < 3; k++)
                {
                    float g = (p[k] - (k == y ? 1 : 0)) * classWeight[y] / n;
                    gb[k] += g;
                    for (int j = 0; j < d; j++) gw[k][j] += g * z[i][j];
                }
            }
            for (int k = 0; k < 3; k++)
            {
                b[k] -= rate * gb[k];
                for (int j = 0; j < d; j++) w[k][j] -= rate * (gw[k][j] + l2 * w[k][j]);
            }
        }
        return new SoundKindClassifier(new Weights(SoundFeatures.Names, mean, scale, w, b));
    }
}
