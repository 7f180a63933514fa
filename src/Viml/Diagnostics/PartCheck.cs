namespace Viml.Diagnostics;

/// <summary>
/// The outcome of checking one part Viml runs on: what it found (<see cref="Detail"/>: a version, a result), and,
/// when the part is missing or broken, how to install it. <see cref="Required"/> parts make <c>viml doctor</c>
/// fail; the others are needed only by some verbs (<see cref="NeededFor"/>).
/// </summary>
public sealed record PartCheck(string Part, bool Ok, string Detail, bool Required, string? Install = null, string? NeededFor = null);
