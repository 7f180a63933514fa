using TorchSharp;
using static TorchSharp.torch;
using Viml.IO;

namespace Viml.Encoders.Musicnn;

/// <summary>
/// Loads safetensors weights into a module by key, checking every parameter and buffer is present with its shape.
/// Subnormal weights load as zero (<see cref="Subnormals"/>).
/// </summary>
public static class MusicnnWeights
{
    /// <param name="pooledFrontEnd">Prepare the inference front end (<see cref="PonsMusicnn.PrepareInference"/>);
    /// false keeps the layers as written (what the pooled one is checked and measured against).</param>
    public static PonsMusicnn LoadPons(string path, bool pooledFrontEnd = true)
    {
        var model = new PonsMusicnn();
        Copy(model, SafeTensors.Load(path).Tensors, path);
        model.eval();
        if (pooledFrontEnd) model.PrepareInference();
        return model;
    }

    /// <param name="pooledFrontEnd">As for <see cref="LoadPons"/>.</param>
    public static JamendoMusicnn LoadJamendo(string path, bool pooledFrontEnd = true)
    {
        var tensors = SafeTensors.Load(path).Tensors;
        var model = new JamendoMusicnn();
        Copy(model, tensors, path, skipPrefix: "spec.");
        using var window = ToTensor(Require(tensors, "spec.spectrogram.window", path));
        using var filterbank = ToTensor(Require(tensors, "spec.mel_scale.fb", path));
        model.SetFrontEnd(window, filterbank);
        model.eval();
        if (pooledFrontEnd) model.PrepareInference();
        return model;
    }

    static NamedTensor Require(Dictionary<string, NamedTensor> tensors, string key, string path) =>
        tensors.TryGetValue(key, out var t) ? t : throw new InvalidInputException($"{path}: tensor {key} is missing");

    static Tensor ToTensor(NamedTensor t)
    {
        Subnormals.FlushToZero(t.Data);
        return tensor(t.Data, t.Shape);
    }

    static void Copy(nn.Module module, Dictionary<string, NamedTensor> tensors, string path, string? skipPrefix = null)
    {
        var used = new HashSet<string>();
        using var _ = no_grad();
        var targets = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(module.named_buffers().Select(b => (b.name, b.buffer)));
        foreach (var (name, target) in targets)
        {
            if (!tensors.TryGetValue(name, out var source))
                throw new InvalidInputException($"{path}: tensor {name} is missing");
            if (!source.Shape.SequenceEqual(target.shape))
                throw new InvalidInputException($"{path}: tensor {name} is [{string.Join(",", source.Shape)}], the model expects [{string.Join(",", target.shape)}]");
            using var value = ToTensor(source).to(target.dtype);
            target.copy_(value);
            used.Add(name);
        }
        var unused = tensors.Keys.Where(k => !used.Contains(k) && (skipPrefix is null || !k.StartsWith(skipPrefix))).ToList();
        if (unused.Count > 0) throw new InvalidInputException($"{path}: tensors the model does not use: {string.Join(", ", unused)}");
    }
}
