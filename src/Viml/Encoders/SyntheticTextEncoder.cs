namespace Viml.Encoders;

/// <summary>
/// A bag-of-words sentence encoder for the synthetic benchmark: each lower-cased word has a fixed
/// random vector (seeded by the word), a sentence is the L2-normalised sum of a constant "sentence"
/// vector and its words. The empty string embeds to the normalised constant (not zero).
/// </summary>
public sealed class SyntheticTextEncoder : ITextEncoder
{
    public string Name => "synthetic-bow";
    public int Dimension { get; }
    public SyntheticTextEncoder(int dimension = 64) { Dimension = dimension; }

    public float[][] Embed(IReadOnlyList<string> texts) => texts.Select(EmbedOne).ToArray();

    float[] EmbedOne(string text)
    {
        var v = WordVector("<sentence>");
        foreach (var w in text.ToLowerInvariant().Split(new[] { ' ', ',', '.', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var wv = WordVector(w);
            for (int i = 0; i < v.Length; i++) v[i] += wv[i];
        }
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => (float)(x / norm)).ToArray();
    }

    float[] WordVector(string word)
    {
        uint h = 2166136261;
        foreach (char c in word) h = (h ^ c) * 16777619;
        var rng = new Random((int)h);
        var v = new float[Dimension];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return v;
    }

    public void Dispose() { }
}
