using Viml.Encoders;
using Viml.Features;

namespace Viml.Catalog;

/// <summary>
/// The encoders a query uses when none is named: the ones the model's checkpoint records (its
/// <see cref="FeatureSpec"/>), else the paper's. A recorded ONNX encoder is known by its name only, so it must be
/// named again by its config file.
/// </summary>
public static class QueryEncoders
{
    /// <summary>The frame encoder to load for <paramref name="model"/>: a built-in name.</summary>
    public static string Frame(ICatalogModel model) =>
        Default(model, model.Spec.FrameEncoder, SpecFields.FrameEncoder, EncoderRegistry.IsBuiltInFrameEncoder,
            "frame", "--frame-encoder");

    /// <summary>The text encoder to load for <paramref name="model"/>: a built-in name.</summary>
    public static string Text(ICatalogModel model) =>
        Default(model, model.Spec.TextEncoder ?? FeatureSpec.Paper.TextEncoder!, SpecFields.TextEncoder,
            EncoderRegistry.IsBuiltInTextEncoder, "text", "--text-encoder");

    static string Default(ICatalogModel model, string recorded, SpecFields field, Func<string, bool> builtIn,
        string kind, string option)
    {
        if (!model.RecordedSpec.HasFlag(field) || builtIn(recorded)) return recorded;
        throw new InvalidInputException($"model {model.Id} was trained on {kind} features of '{recorded}', an ONNX encoder; " +
                                        $"pass {option} <its config .json>");
    }
}
