using TorchSharp;
using Viml.Encoders.Musicnn;
using Viml.IO;
using Viml.Torch;
using static TorchSharp.torch;

namespace Viml.Encoders;

/// <summary>Options of <see cref="MusicnnEncoder"/>.</summary>
/// <param name="Threads">libtorch intra-op threads (0 = all cores).</param>
/// <param name="BatchPatches">Patches run through a network at once (memory grows ~20 MB per patch).</param>
public sealed record MusicnnOptions(int Threads = 0, int BatchPatches = 16);

/// <summary>
/// The method's music base encoder: three pretrained musicnn taggers (Million Song Dataset,
/// MagnaTagATune, MTG-Jamendo top-50). Per segment of 16 kHz mono PCM:
/// <list type="bullet">
/// <item>embedding (600-d) = [MSD | MTT | Jamendo] 200-d penultimate (pre-ReLU dense) embeddings,
///   each the mean over the segment's non-overlapping 3-s patches;</item>
/// <item>tags (150) = the three models' 50 sigmoid confidences, each the mean over the patches,
///   in the order of <see cref="Tags"/>.</item>
/// </list>
/// A segment shorter than one 3-s patch is zero-padded to 3 s; a tail shorter than a patch is dropped
/// (a 10-s segment gives 3 patches covering its first ~9 s).
/// </summary>
public sealed class MusicnnEncoder : IMusicEncoder
{
    public const int ModelDimension = 200;
    /// <summary>Samples of one 3-s patch (and of the shortest segment after padding).</summary>
    public const int PatchSamples = JamendoMusicnn.ChunkSamples;

    readonly PonsMusicnn _msd, _mtt;
    readonly JamendoMusicnn _jamendo;
    readonly MelSpectrogram _logMel = MelSpectrogram.Librosa(new MelConfig());
    readonly MusicnnOptions _options;

    public string Name => "musicnn";
    public int Dimension => 3 * ModelDimension;
    /// <summary>The rate the taggers were trained at, known before the weights load.</summary>
    public const int Hz = 16000;
    public int SampleRate => Hz;
    public IReadOnlyList<TagInfo> Tags { get; }

    /// <summary>Loads the weights Viml ships under <c>models/music/</c>.</summary>
    public MusicnnEncoder() : this(new MusicnnOptions()) { }

    public MusicnnEncoder(MusicnnOptions options) : this(ProjectPaths.Vendored("models/music"), options) { }

    /// <summary>Loads the three models from <paramref name="modelsDir"/> (laid out as <c>models/music/</c>).</summary>
    public MusicnnEncoder(string modelsDir, MusicnnOptions options)
    {
        _options = options;
        TorchRuntime.Initialise(options.Threads);
        string P(string rel) => Path.Combine(modelsDir, rel);
        _msd = MusicnnWeights.LoadPons(P("msd-musicnn/jordipons_msd_musicnn_torchlayout.safetensors"));
        _mtt = MusicnnWeights.LoadPons(P("mtt-musicnn/jordipons_mtt_musicnn_torchlayout.safetensors"));
        _jamendo = MusicnnWeights.LoadJamendo(P("mtg-jamendo-musicnn/minzwon_jamendo_musicnn.safetensors"));
        Tags = TagLabels.Read(P("msd-musicnn/msd_musicnn_labels.tsv"), "msd")
            .Concat(TagLabels.Read(P("mtt-musicnn/mtt_musicnn_labels.tsv"), "mtt"))
            .Concat(TagLabels.Read(P("mtg-jamendo-musicnn/mtgjamendo_top50_labels.tsv"), "jamendo"))
            .ToList();
        if (Tags.Count != 150) throw new InvalidInputException($"{modelsDir}: expected 3 x 50 tags, the labels files give {Tags.Count}");
    }

    public MusicSegmentFeatures[] Embed(IReadOnlyList<float[]> segments)
    {
        for (int i = 0; i < segments.Count; i++)
        {
            if (segments[i] is null || segments[i].Length == 0) throw new InvalidInputException($"music segment {i} is empty");
            if (segments[i].Any(v => !float.IsFinite(v))) throw new InvalidInputException($"music segment {i} holds NaN or infinite samples");
        }
        if (segments.Count == 0) return [];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();

        // Cut every segment into 3-s units: log-mel patches for MSD/MTT, waveform chunks for Jamendo.
        var patches = new List<Tensor>();
        var chunks = new List<Tensor>();
        var patchCounts = new int[segments.Count];
        var chunkCounts = new int[segments.Count];
        for (int i = 0; i < segments.Count; i++)
        {
            var pcm = segments[i].Length >= PatchSamples ? segments[i] : Pad(segments[i]);
            var wave = tensor(pcm);
            var logMel = MusicnnInput.LogCompress(_logMel.Power(wave.unsqueeze(0))[0]);
            var p = MusicnnInput.Patches(logMel, _logMel.Config.PatchFrames);
            patches.Add(p);
            patchCounts[i] = (int)p.shape[0];
            int c = pcm.Length / PatchSamples;
            chunks.Add(wave.narrow(0, 0, (long)c * PatchSamples).reshape(c, PatchSamples));
            chunkCounts[i] = c;
        }
        var allPatches = cat(patches, 0);
        var allChunks = cat(chunks, 0);

        var msd = Run(_msd, allPatches);
        var mtt = Run(_mtt, allPatches);
        var jam = Run(_jamendo, allChunks);

        var result = new MusicSegmentFeatures[segments.Count];
        long pStart = 0, cStart = 0;
        for (int i = 0; i < segments.Count; i++)
        {
            Tensor Mean(Tensor t, long start, int count) => t.narrow(0, start, count).mean(new long[] { 0 });
            var embedding = cat(new[] { Mean(msd.Embedding, pStart, patchCounts[i]), Mean(mtt.Embedding, pStart, patchCounts[i]), Mean(jam.Embedding, cStart, chunkCounts[i]) }, 0);
            var tags = cat(new[] { Mean(msd.Tags, pStart, patchCounts[i]), Mean(mtt.Tags, pStart, patchCounts[i]), Mean(jam.Tags, cStart, chunkCounts[i]) }, 0);
            result[i] = new MusicSegmentFeatures(embedding.data<float>().ToArray(), tags.data<float>().ToArray());
            pStart += patchCounts[i];
            cStart += chunkCounts[i];
        }
        return result;
    }

    static float[] Pad(float[] pcm)
    {
        var padded = new float[PatchSamples];
        pcm.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>Runs a network over <paramref name="input"/> in batches of <see cref="MusicnnOptions.BatchPatches"/>.</summary>
    MusicnnOutput Run(nn.Module<Tensor, MusicnnOutput> model, Tensor input)
    {
        var embeddings = new List<Tensor>();
        var tags = new List<Tensor>();
        int batch = Math.Max(1, _options.BatchPatches);
        for (long start = 0; start < input.shape[0]; start += batch)
        {
            var r = model.forward(input.narrow(0, start, Math.Min(batch, input.shape[0] - start)));
            embeddings.Add(r.Embedding);
            tags.Add(r.Tags);
        }
        return new MusicnnOutput(cat(embeddings, 0), cat(tags, 0));
    }

    public void Dispose()
    {
        _msd.Dispose();
        _mtt.Dispose();
        _jamendo.Dispose();
        _logMel.Dispose();
    }
}
