using System.Security.Cryptography;
using Viml.Model;

namespace Viml.Catalog;

/// <summary>A trained checkpoint as the catalog uses it; its id is a content hash of the checkpoint's files.</summary>
public sealed class TrainedCatalogModel : ICatalogModel, IDisposable
{
    public TrainedModel Model { get; }
    public string Id { get; }
    public string CheckpointDir { get; }

    public TrainedCatalogModel(string checkpointDir)
    {
        CheckpointDir = Path.GetFullPath(checkpointDir);
        if (!Directory.Exists(CheckpointDir)) throw new InvalidInputException($"{checkpointDir}: no such checkpoint folder");
        Id = IdOf(CheckpointDir);
        var specKeys = Viml.Features.FeatureSpec.Paper.ToMetadata().Keys;
        BaseEncoders = Checkpoint.ReadMetadata(CheckpointDir)
            .Where(kv => specKeys.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        Model = TrainedModel.Load(CheckpointDir);
    }

    /// <summary>The feature contract recorded at training (<see cref="Viml.Features.FeatureSpec.ToMetadata"/> keys; empty
    /// for checkpoints made before it was recorded, which get the paper's values).</summary>
    public IReadOnlyDictionary<string, string> BaseEncoders { get; }

    /// <summary>First 16 hex digits of SHA-256 over <c>config.json</c> and <c>model.safetensors</c>: the same weights anywhere give the same id.</summary>
    public static string IdOf(string checkpointDir)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in new[] { Checkpoint.ConfigFile, Checkpoint.WeightsFile })
        {
            var p = Path.Combine(checkpointDir, name);
            if (!File.Exists(p)) throw new InvalidInputException($"{checkpointDir}: not a Viml checkpoint (no {name})");
            using var f = File.OpenRead(p);
            var buf = new byte[1 << 20];
            int n;
            while ((n = f.Read(buf)) > 0) sha.AppendData(buf, 0, n);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    public int Dimension => Model.Dimension;
    public int MusicDimension => Model.MusicDimension;
    public int VideoDimension => Model.VideoDimension;
    public int TextDimension => Model.TextDimension;
    public float[] EmbedMusic(float[][] musicSegments) => Model.EmbedMusic(musicSegments);
    public float[][] EmbedMusicBatch(IReadOnlyList<float[][]> sequences) => Model.EmbedMusicBatch(sequences);
    public float[] EmbedQuery(float[][] videoSegments, float[]? textBase) => Model.EmbedQuery(videoSegments, textBase);
    public float[]? EmbedTextOnly(float[] textBase) => Model.EmbedTextOnly(textBase);
    public void Dispose() => Model.Dispose();
}
