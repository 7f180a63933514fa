using Spectre.Console.Cli;
using Viml.Catalog;
using Viml.Encoders;
using Viml.Features;
using Viml.Jobs;

namespace Viml.Cli.Commands;

sealed class WorkerCommand : Command<RedisSettings>
{
    /// <summary>The job kinds a <c>viml worker</c> runs: one line per kind. Encoders load on the first job that needs them.</summary>
    static Dictionary<string, JobHandler> Handlers(List<IDisposable> owned)
    {
        T Own<T>(T x) where T : IDisposable { lock (owned) owned.Add(x); return x; }
        var music = new Lazy<MusicnnEncoder>(() => Own(new MusicnnEncoder()));
        var frames = new Dictionary<string, IFrameEncoder>(StringComparer.Ordinal);
        var extractors = new Dictionary<FeatureSpec, Extractor>();
        Extractor ExtractorFor(FeatureSpec x)
        {
            // the job's frame encoder, or the job fails naming it (a config missing on this worker): never another one
            if (!frames.TryGetValue(x.FrameEncoder, out var f))
                frames[x.FrameEncoder] = f = Own(EncoderRegistry.CreateFrameEncoder(x.FrameEncoder));
            if (!extractors.TryGetValue(x, out var e))
                extractors[x] = e = new Extractor(f, music.Value, new ExtractorOptions(Fps: x.Fps, SegmentSeconds: x.SegmentSeconds));
            return e;
        }
        var parts = new Dictionary<string, IngestParts>();
        IngestParts PartsFor(string checkpoint)
        {
            if (!parts.TryGetValue(checkpoint, out var p))
                parts[checkpoint] = p = CatalogParts.Ingest(Own(new TrainedCatalogModel(checkpoint)), music.Value);
            return p;
        }
        return new()
        {
            [ChecksumJob.Kind] = ChecksumJob.Run,
            [FeaturesJob.Kind] = FeaturesJob.Handler(ExtractorFor),
            [CatalogJob.Kind] = CatalogJob.Handler(PartsFor),
        };
    }

    public override int Execute(CommandContext context, RedisSettings s, CancellationToken cancellation)
    {
        using var stop = new CtrlC(cancellation, orSigterm: true);
        using var queue = JobQueue.Connect(s.Redis!, s.Options);
        queue.Notice += m => Console.Error.WriteLine($"viml: {m}");
        var owned = new List<IDisposable>();
        var handlers = Handlers(owned);
        var worker = new Worker(queue, handlers);
        worker.JobFinished += e => Console.Out.WriteLine(
            $"{e.Outcome} {e.Job.Kind} {e.Job.Key} ({e.Elapsed.TotalSeconds:0.00} s, delivery {e.Job.Delivery}){(e.Error is null ? "" : ": " + e.Error)}");
        Console.Out.WriteLine($"worker {worker.Consumer} on {s.Redis} ({s.Prefix}): runs {string.Join(", ", handlers.Keys)}; Ctrl-C stops");
        Console.Out.Flush();
        worker.Run(stop.Token);
        owned.ForEach(d => d.Dispose());
        Console.Out.WriteLine($"stopped: {worker.Stats.Done} done, {worker.Stats.Failed} failed, {worker.Stats.DeadLettered} dead-lettered, {worker.Stats.Reclaimed} taken over");
        return 0;
    }
}
