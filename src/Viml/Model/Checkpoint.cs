using System.Text.Json;
using TorchSharp;
using Viml.IO;
using static TorchSharp.torch;

namespace Viml.Model;

/// <summary>
/// A checkpoint is a folder with <c>model.safetensors</c> (every parameter and buffer, float32,
/// PyTorch names) and <c>config.json</c> (the <see cref="ModelConfig"/>, snake_case). Python:
/// <c>safetensors.torch.load_file(".../model.safetensors")</c> + <c>json.load(open(".../config.json"))</c>.
/// </summary>
public static class Checkpoint
{
    /// <summary>The checkpoint's <c>model.safetensors</c> metadata (epoch, base encoder names, ...), without loading the weights.</summary>
    public static Dictionary<string, string> ReadMetadata(string dir)
    {
        string weights = Path.Combine(dir, WeightsFile);
        if (!File.Exists(weights)) throw new InvalidInputException($"{dir}: not a Viml checkpoint (no {WeightsFile})");
        return SafeTensors.ReadMetadata(weights);
    }

    public const string WeightsFile = "model.safetensors";
    public const string ConfigFile = "config.json";

    public static void Save(string dir, VimlModel model, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["viml"] = "model/1" };
        if (metadata != null) foreach (var (k, v) in metadata) meta[k] = v;
        AtomicFile.WriteAllText(Path.Combine(dir, ConfigFile), JsonSerializer.Serialize(model.Config, ModelConfig.Json));
        SafeTensors.Save(Path.Combine(dir, WeightsFile), ToNamedTensors(model), meta);
    }

    public static ModelConfig ReadConfig(string dir)
    {
        string path = Path.Combine(dir, ConfigFile);
        if (!File.Exists(path)) throw new InvalidInputException($"{dir}: not a Viml checkpoint (no {ConfigFile})");
        try
        {
            return (JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path), ModelConfig.Json)
                    ?? throw new ConfigException($"{path}: empty")).Validate(path);
        }
        catch (JsonException e) { throw new ConfigException($"{path}: malformed ({e.Message})", e); }
    }

    /// <summary>Builds the model from <c>config.json</c> and loads <c>model.safetensors</c> into it (eval mode).</summary>
    public static VimlModel Load(string dir)
    {
        var config = ReadConfig(dir);
        string weights = Path.Combine(dir, WeightsFile);
        if (!File.Exists(weights)) throw new InvalidInputException($"{dir}: not a Viml checkpoint (no {WeightsFile})");
        var model = new VimlModel(config);
        LoadNamedTensors(model, SafeTensors.Load(weights).Tensors, weights);
        model.eval();
        return model;
    }

    /// <summary>Every parameter and buffer as float32 rows, by its state-dict name.</summary>
    public static List<NamedTensor> ToNamedTensors(nn.Module module) =>
        module.state_dict().Select(kv => ToNamed(kv.Key, kv.Value)).ToList();

    public static NamedTensor ToNamed(string name, Tensor t)
    {
        using var c = t.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return new NamedTensor(name, c.shape.ToArray(), c.data<float>().ToArray());
    }

    /// <summary>Copies tensors into the module's state; every state entry must be present with its shape.</summary>
    public static void LoadNamedTensors(nn.Module module, IReadOnlyDictionary<string, NamedTensor> tensors, string source)
    {
        using var _ = no_grad();
        foreach (var (name, target) in module.state_dict())
        {
            if (!tensors.TryGetValue(name, out var t))
                throw new InvalidInputException($"{source}: tensor {name} is missing (the file does not match config.json)");
            if (!t.Shape.SequenceEqual(target.shape))
                throw new InvalidInputException($"{source}: tensor {name} has shape [{string.Join(",", t.Shape)}], the model expects [{string.Join(",", target.shape)}]");
            using var src = torch.tensor(t.Data, t.Shape);
            target.copy_(src);
        }
    }
}
