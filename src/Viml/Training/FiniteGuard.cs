using Viml.Model;
using static TorchSharp.torch;

namespace Viml.Training;

/// <summary>
/// Stops a run whose numbers are no longer numbers: a non-finite loss at a step, or a non-finite weight before an
/// epoch is saved, throws <see cref="TrainingDivergedException"/> naming where and the settings to change, so a
/// checkpoint of NaN weights is never written.
/// </summary>
public static class FiniteGuard
{
    const string Advice = "lower learning_rate or weight_decay, or raise temperature";

    /// <summary>Returns <paramref name="loss"/> when finite, else throws naming the output, epoch, step and rate.</summary>
    public static double Loss(double loss, string output, int epoch, int step, double learningRate)
    {
        if (double.IsFinite(loss)) return loss;
        throw new TrainingDivergedException(
            $"{output}: training diverged: the loss is {loss} at epoch {epoch}, step {step} (learning rate {learningRate:G4}); " +
            $"{Advice}; nothing of epoch {epoch} was saved");
    }

    /// <summary>Throws naming the first parameter holding a NaN or an infinity, with how many of its values do.</summary>
    public static void Weights(VimlModel model, string output, int epoch)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, p) in model.named_parameters())
        {
            long bad = (~isfinite(p.detach())).sum().item<long>();
            if (bad == 0) continue;
            throw new TrainingDivergedException(
                $"{output}: training diverged: {bad} of {p.numel()} values of {name} are NaN or infinite after epoch {epoch}; " +
                $"{Advice}; the epoch was not saved");
        }
    }
}
