using System.Diagnostics.CodeAnalysis;

// Analyzer findings that are right in general and wrong here, each with its reason (the rest are in .editorconfig).

[assembly: SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Scope = "type", Target = "~T:Viml.Features.Extractor.Consumer",
    Justification = "Its SemaphoreSlim never creates a wait handle (AvailableWaitHandle is not read), so there is nothing to release; the consumer lives for one extraction run.")]
[assembly: SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Scope = "type", Target = "~T:Viml.Encoders.Onnx.ProtoWriter",
    Justification = "Its MemoryStream holds managed memory only; the writer lives for one serialisation.")]
