// Benchmarks that print ratios against a peer measured in the same run.
// Usage: dotnet run -c Release --project bench/Viml.Bench -- <name> [options]


var benches = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["trainstep"] = TrainStepBench.Run,
    // name -> entry point; one line per benchmark, each in its own file
    ["index"] = Viml.Bench.IndexBench.Run,
    ["recommend"] = Viml.Bench.RecommendBench.Run,
    ["frames"] = Viml.Bench.FrameEncoderBench.Run,
    ["extract"] = Viml.Bench.ExtractBench.Run,
    ["music"] = Viml.Bench.MusicBench.Run,
    ["workers"] = Viml.Bench.WorkersBench.Run,
    ["web"] = Viml.Bench.WebFloodBench.Run,
    ["words"] = Viml.Bench.WordsBench.Run,
    ["knob"] = Viml.Bench.KnobBench.Run,
    ["tagcal"] = Viml.Bench.TagCalibrationBench.Run,
    ["soundkinds"] = Viml.Bench.SoundKindsBench.Run,
    ["rhythm"] = Viml.Bench.RhythmBench.Run,
    ["cuts"] = Viml.Bench.CutsBench.Run,
    ["pace"] = Viml.Bench.PaceBench.Run,
    ["pacefit"] = Viml.Bench.PaceFitBench.Run,
    ["ingest"] = Viml.Bench.IngestBench.Run,
    ["stream"] = Viml.Bench.StreamBench.Run,
    ["int8recipes"] = Viml.Bench.Int8RecipeBench.Run,
    ["hnswbuild"] = Viml.Bench.HnswBuildBench.Run,
};
if (args.Length == 0 || !benches.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine("benchmarks: " + string.Join(", ", benches.Keys.Order()));
    return 64;
}
return run(args[1..]);
