using TorchSharp;
using Viml.Torch;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Viml.Model;

/// <summary>The training objective (Sec. 3.2, Eq. 1).</summary>
public static class Losses
{
    /// <summary>s(x, y) = x^T y / (|x| |y|) for every pair of rows: [Bq, Bm].</summary>
    public static Tensor CosineSimilarity(Tensor q, Tensor m) =>
        normalize(q, p: 2, dim: -1).matmul(normalize(m, p: 2, dim: -1).t());

    /// <summary>
    /// L = L(q->m) + L(m->q), with
    /// L(q->m) = -1/|D| sum_i log( exp(s(q_i, m_i)/tau) / sum_j exp(s(q_i, m_j)/tau) ):
    /// InfoNCE with the other items of the batch as negatives, in both directions.
    /// </summary>
    public static Tensor SymmetricInfoNce(Tensor query, Tensor music, double temperature)
    {
        var logits = CosineSimilarity(query, music).Div(temperature);
        var targets = OwnedScalars.Range(0, logits.shape[0], 1, ScalarType.Int64, logits.device);
        return cross_entropy(logits, targets).Plus(cross_entropy(logits.t(), targets));
    }
}
