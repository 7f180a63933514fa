using ScottPlot;
using Viml.IO;

namespace Viml.Training;

/// <summary>The training curve: loss (left axis) and validation Recall@10 (right axis) per epoch, as a PNG.</summary>
public static class TrainingPlot
{
    public static void Save(string path, IReadOnlyList<EpochRecord> history, int width = 800, int height = 450)
    {
        var plot = new Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        var loss = plot.Add.Scatter(epochs, history.Select(h => h.Loss).ToArray());
        loss.LegendText = "training loss";
        var r10 = plot.Add.Scatter(epochs, history.Select(h => h.ValidationR10).ToArray());
        r10.LegendText = "validation R@10 (%)";
        r10.Axes.YAxis = plot.Axes.Right;
        if (history.All(h => h.ValidationR10VideoOnly.HasValue))
        {
            var v = plot.Add.Scatter(epochs, history.Select(h => h.ValidationR10VideoOnly!.Value).ToArray());
            v.LegendText = "validation R@10, video only (%)";
            v.Axes.YAxis = plot.Axes.Right;
        }
        plot.XLabel("epoch");
        plot.YLabel("InfoNCE loss (both directions)");
        plot.Axes.Right.Label.Text = "R@10 (%)";
        plot.ShowLegend(Alignment.UpperCenter);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }
}
