namespace Viml.Encoders;

/// <summary>
/// Arithmetic of the ResNet18 frame encoder: <see cref="Fp32"/> runs the model as shipped; <see cref="Int8"/> runs
/// a statically quantized copy built from it on this machine (docs/encoders.md), faster on CPUs with int8 dot products.
/// </summary>
public enum FramePrecision { Fp32, Int8 }
