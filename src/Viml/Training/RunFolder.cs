using System.Text.Json;
using TorchSharp.Modules;
using Viml.IO;
using Viml.Model;

namespace Viml.Training;

/// <summary>
/// A training run's output folder:
/// <code>
///   train_config.json     the run's TrainConfig (a resumed run must match it)
///   last/                 model.safetensors + config.json after the latest finished epoch,
///                         optimizer.bin (AdamW moments, TorchSharp's own format) and state.json (history)
///   best/                 model.safetensors + config.json of the epoch with the best validation R@10
///                         (of the latest epoch when the validation pools are too small to choose)
///   training.png          loss and validation R@10 per epoch
/// </code>
/// <c>last/</c> is replaced as a whole (written as <c>.last.new</c>, then swapped by renames), so a
/// kill at any moment leaves the previous or the new epoch, never a mix.
/// </summary>
public sealed class RunFolder
{
    public string Root { get; }
    public string LastDir => Path.Combine(Root, "last");
    public string BestDir => Path.Combine(Root, "best");
    public string PlotPath => Path.Combine(Root, "training.png");
    string NewDir => Path.Combine(Root, ".last.new");
    string OldDir => Path.Combine(Root, ".last.old");

    RunFolder(string root) { Root = root; }

    static readonly JsonSerializerOptions Json = ModelConfig.Json;

    /// <summary>Opens (or starts) the run in <c>c.Output</c>; an existing run must have the same config.</summary>
    public static RunFolder Open(TrainConfig c)
    {
        var run = new RunFolder(Path.GetFullPath(c.Output));
        try { Directory.CreateDirectory(run.Root); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw OutputException.For(run.Root, "cannot create the output folder", e); }
        string cfgPath = Path.Combine(run.Root, "train_config.json");
        string wanted = JsonSerializer.Serialize(c with { Threads = 0 }, Json);
        if (File.Exists(cfgPath) && File.ReadAllText(cfgPath) != wanted && (Directory.Exists(run.LastDir) || Directory.Exists(run.OldDir)))
            throw new ConfigException($"{cfgPath}: this folder holds a run with another configuration; use a new output folder (or delete it) to start over");
        AtomicFile.WriteAllText(cfgPath, wanted);
        // A kill between the two renames of SaveEpoch leaves only .last.old: it is the last epoch.
        if (!Directory.Exists(run.LastDir) && Directory.Exists(run.OldDir)) Directory.Move(run.OldDir, run.LastDir);
        if (Directory.Exists(run.NewDir)) Directory.Delete(run.NewDir, true);
        AtomicFile.RemoveOrphans(run.Root, recursive: true);   // temp files of a killed run (plot, best/)
        return run;
    }

    /// <summary>Loads the last finished epoch into the model and optimizer; returns its history (empty for a new run).</summary>
    public List<EpochRecord> Resume(VimlModel model, OptimizerHelper optimizer)
    {
        string state = Path.Combine(LastDir, "state.json");
        if (!File.Exists(state)) return new List<EpochRecord>();
        var weights = Path.Combine(LastDir, Checkpoint.WeightsFile);
        Checkpoint.LoadNamedTensors(model, SafeTensors.Load(weights).Tensors, weights);
        string moments = Path.Combine(LastDir, "optimizer.bin");
        try
        {
            using var reader = new BinaryReader(File.OpenRead(moments));
            optimizer.load_state_dict(reader);
            if (reader.BaseStream.Position != reader.BaseStream.Length) throw new InvalidDataException("bytes left after the last moment");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException
                                      or System.Runtime.InteropServices.ExternalException)
        {
            throw new InvalidInputException(
                $"{moments}: the optimizer state of the last epoch is unreadable ({e.Message}); move {LastDir} away to restart " +
                "the run from its beginning, or restore the file");
        }
        return JsonSerializer.Deserialize<List<EpochRecord>>(File.ReadAllText(state), Json)
               ?? throw new InvalidInputException($"{state}: empty");
    }

    /// <summary>Writes last/ (atomically, as a folder), best/ when this epoch is the best, and the plot; refuses
    /// (<see cref="TrainingDivergedException"/>) weights holding a NaN or an infinity, writing nothing.</summary>
    public void SaveEpoch(VimlModel model, OptimizerHelper optimizer, IReadOnlyList<EpochRecord> history,
        IReadOnlyDictionary<string, string>? metadata = null, bool validationChooses = true)
    {
        FiniteGuard.Weights(model, Root, history.Count);
        if (Directory.Exists(NewDir)) Directory.Delete(NewDir, true);
        try { WriteEpoch(model, optimizer, history, metadata, validationChooses); }
        catch
        {
            // A failed save (disk full, a crash in the optimizer's state) leaves no half-written .last.new behind.
            try { if (Directory.Exists(NewDir)) Directory.Delete(NewDir, true); } catch (IOException) { }
            throw;
        }
    }

    void WriteEpoch(VimlModel model, OptimizerHelper optimizer, IReadOnlyList<EpochRecord> history,
        IReadOnlyDictionary<string, string>? metadata, bool validationChooses)
    {
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { ["epoch"] = history.Count.ToString() };
        Checkpoint.Save(NewDir, model, meta);
        var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        AtomicFile.WriteAllBytes(Path.Combine(NewDir, "optimizer.bin"), bytes.ToArray());
        AtomicFile.WriteAllText(Path.Combine(NewDir, "state.json"), JsonSerializer.Serialize(history, Json));
        // best/ before last/: a kill in between makes the resumed run redo this epoch (and write best/ again);
        // the other order would resume past an epoch whose best/ was never written.
        if (BestEpoch(history, validationChooses) == history.Count)
            Checkpoint.Save(BestDir, model, meta);
        if (Directory.Exists(OldDir)) Directory.Delete(OldDir, true);
        if (Directory.Exists(LastDir)) Directory.Move(LastDir, OldDir);
        Directory.Move(NewDir, LastDir);
        if (Directory.Exists(OldDir)) Directory.Delete(OldDir, true);
        TrainingPlot.Save(PlotPath, history);
    }

    /// <summary>The epoch with the highest validation R@10 (the earliest on ties); the latest epoch when validation
    /// cannot choose (pools of 10 items or fewer, where R@10 is 100 % for any model).</summary>
    public static int BestEpoch(IReadOnlyList<EpochRecord> history, bool validationChooses = true) =>
        history.Count == 0 ? 0
        : !validationChooses ? history[^1].Epoch
        : history.OrderByDescending(h => h.ValidationR10).ThenBy(h => h.Epoch).First().Epoch;
}
