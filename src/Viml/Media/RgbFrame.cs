namespace Viml.Media;

/// <summary>One decoded video frame: packed RGB24, row-major, <c>Width * Height * 3</c> bytes.</summary>
public readonly record struct RgbFrame(int Width, int Height, ReadOnlyMemory<byte> Pixels);
