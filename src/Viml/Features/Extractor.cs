using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Viml.Encoders;
using Viml.Media;

namespace Viml.Features;

/// <summary>Extraction settings; the defaults are the paper's (<see cref="FeatureSpec.Paper"/>).</summary>
/// <param name="FrameBatch">Frames handed to the frame encoder at once.</param>
/// <param name="AudioChunkSegments">Segments of audio decoded by one ffmpeg run and embedded by one music-encoder call
/// (6 = 1 minute, ~4 MB at 16 kHz; small, so that cancelling waits for at most one chunk being embedded).</param>
/// <param name="QueueLength">Messages (frame batches, audio chunks) the decoding side may run ahead.</param>
/// <param name="MusicAlongsideFrames">Run the music encoder on its own thread while the frame encoder works
/// (each audio chunk is decoded just before the frames of its segments; at most two chunks wait). On by default:
/// faster in three of four runs of bench `extract` on 2 cores (x1.22-x1.38 against x1.06-x1.08 with music after
/// frames, both against a serial peer), slower in one; false runs the music encoder after the frames, on the
/// encoding thread.</param>
public sealed record ExtractorOptions(
    double Fps = FeatureSpec.PaperFps,
    double SegmentSeconds = FeatureSpec.PaperSegmentSeconds,
    int FrameBatch = 32,
    int AudioChunkSegments = SegmentFeatures.MusicBatch,
    int QueueLength = 8,
    bool MusicAlongsideFrames = true);

/// <summary>Where a run stands. <see cref="Value"/> counts finished items plus the part of the current one done.</summary>
public sealed record ExtractionProgress(int Total, int Extracted, int Skipped, int Failed, string? Current, double CurrentFraction)
{
    public int Finished => Extracted + Skipped + Failed;
    public double Value => Finished + CurrentFraction;
}

/// <summary>An item that could not be extracted: its id, the file at fault and what is wrong with it.</summary>
public sealed record ExtractionFailure(string Id, string File, string Problem);

/// <summary>
/// What a run did. Decoding (ffmpeg, on its own process) overlaps encoding: <see cref="DecodeBusy"/> is the
/// time the decoding side spent probing and reading ffmpeg's pipes, <see cref="EncoderWaited"/> the time the
/// encoding side sat idle waiting for decoded data, <see cref="FrameEncode"/> / <see cref="MusicEncode"/> the
/// time inside the encoders.
/// </summary>
public sealed record ExtractionReport(
    int Total, int Extracted, int Skipped, IReadOnlyList<ExtractionFailure> Failures,
    double MediaSeconds, int Frames, TimeSpan Wall, TimeSpan DecodeBusy, TimeSpan EncoderWaited, TimeSpan FrameEncode, TimeSpan MusicEncode)
{
    /// <summary>Seconds of media extracted per second of wall time ("x real time").</summary>
    public double RealTimeFactor => Wall.TotalSeconds > 0 ? MediaSeconds / Wall.TotalSeconds : 0;
}

/// <summary>
/// Turns manifest items into per-segment features: for each item, probe, cut into segments
/// (<see cref="Segmenter"/>), decode frames at <see cref="ExtractorOptions.Fps"/> at the frame encoder's input
/// size, embed them and average per segment (video feature); decode the audio at the music encoder's rate and
/// embed each segment (music feature and tag confidences). Decoding of the next frames and items runs on a
/// second thread (and in ffmpeg's process) while the encoders work, so both cores are busy.
/// </summary>
public sealed class Extractor
{
    readonly IFrameEncoder _frames;
    readonly IMusicEncoder _music;
    public ExtractorOptions Options { get; }

    public Extractor(IFrameEncoder frames, IMusicEncoder music, ExtractorOptions? options = null)
    {
        _frames = frames;
        _music = music;
        Options = options ?? new ExtractorOptions();
        Spec.Validate("extraction settings");
        if (Options.FrameBatch < 1 || Options.AudioChunkSegments < 1 || Options.QueueLength < 1) throw new ConfigException("batch, chunk and queue sizes must be positive");
    }

    /// <summary>The features this extractor makes (no text encoder: training picks one).</summary>
    public FeatureSpec Spec => new(_frames.Name, _music.Name, null, Options.Fps, Options.SegmentSeconds, _music.SampleRate);

    /// <summary>How a store made by this extractor describes itself; tag names are "&lt;model&gt;:&lt;category&gt;:&lt;tag&gt;".</summary>
    public StoreInfo StoreInfo => new(_frames.Name, _frames.Dimension, _music.Name, _music.Dimension,
        _music.Tags.Select(t => t.FullName).ToList(), Options.SegmentSeconds, Options.Fps)
        { SampleRate = _music.SampleRate };

    /// <summary>
    /// Extracts every item not yet in <paramref name="store"/> and writes each one atomically as it finishes.
    /// Items with bad media are reported in <see cref="ExtractionReport.Failures"/>; the others are extracted.
    /// Cancelling stops ffmpeg and leaves the store with whole items only.
    /// </summary>
    public ExtractionReport Run(IReadOnlyList<ManifestItem> items, FeatureStore store, IProgress<ExtractionProgress>? progress = null, CancellationToken ct = default)
    {
        store.Info.RefuseOther(StoreInfo, store.Root);
        return RunCore(items, store.Contains, store.Write, progress, ct);
    }

    /// <summary>Extracts one item; throws <see cref="MediaException"/> naming the file when it cannot be.</summary>
    public FeatureItem Extract(ManifestItem item, CancellationToken ct = default)
    {
        FeatureItem? result = null;
        var report = RunCore([item], _ => false, x => result = x, null, ct);
        if (report.Failures.Count > 0) throw new MediaException(report.Failures[0].File, report.Failures[0].Problem);
        return result!;
    }

    // ---- the two sides of the pipeline, talking through a bounded queue ----

    abstract record Message(ManifestItem Item);
    sealed record Skip(ManifestItem Item) : Message(Item);
    sealed record Begin(ManifestItem Item, IReadOnlyList<Segment> Segments, string AudioPath, double Duration, bool HasVideo = true) : Message(Item);
    sealed record Frames(ManifestItem Item, List<RgbFrame> Batch) : Message(Item);
    sealed record Audio(ManifestItem Item, int FirstSegment, float[][] Segments) : Message(Item);
    sealed record End(ManifestItem Item) : Message(Item);
    sealed record Failed(ManifestItem Item, string File, string Problem) : Message(Item);

    ExtractionReport RunCore(IReadOnlyList<ManifestItem> items, Func<string, bool> done, Action<FeatureItem> write, IProgress<ExtractionProgress>? progress, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new BlockingCollection<Message>(Options.QueueLength);
        var decodeBusy = new Stopwatch();
        var decoding = Task.Factory.StartNew(() => Produce(items, done, queue, decodeBusy, stop.Token),
            stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var consumer = new Consumer(this, items.Count, write, progress, stop.Token);
        var waited = new Stopwatch();
        try
        {
            using var messages = queue.GetConsumingEnumerable(stop.Token).GetEnumerator();
            while (true)
            {
                waited.Start();
                bool more = messages.MoveNext();
                waited.Stop();
                if (!more) break;
                consumer.Handle(messages.Current);
            }
        }
        finally
        {
            stop.Cancel(); // stops the decoding side if the encoding side ended early (an exception)
            consumer.Drain();
            try { decoding.Wait(CancellationToken.None); }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException)) { }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]); // a fault of the decoding side, as thrown
            }
        }
        ct.ThrowIfCancellationRequested();
        return new ExtractionReport(items.Count, consumer.Extracted, consumer.Skipped, consumer.Failures, consumer.MediaSeconds, consumer.FrameCount,
            wall.Elapsed, decodeBusy.Elapsed, waited.Elapsed, consumer.FrameEncode.Elapsed, consumer.MusicEncode);
    }

    /// <summary>The decoding side: probes and decodes item after item, a bounded queue ahead of the encoders.</summary>
    void Produce(IReadOnlyList<ManifestItem> items, Func<string, bool> done, BlockingCollection<Message> queue, Stopwatch busy, CancellationToken ct)
    {
        void Send(Message m) { busy.Stop(); queue.Add(m, ct); busy.Start(); }
        busy.Start();
        try
        {
            foreach (var item in items)
            {
                if (done(item.Id)) { Send(new Skip(item)); continue; }
                try
                {
                    var (video, audio, segments) = Plan(item, ct);
                    bool hasVideo = video.Video is not null;
                    Send(new Begin(item, segments, audio.Path, segments[^1].End - segments[0].Start, hasVideo));
                    int chunks = (segments.Count + Options.AudioChunkSegments - 1) / Options.AudioChunkSegments, sent = 0;
                    void SendAudio(int chunk)
                    {
                        int first = chunk * Options.AudioChunkSegments, count = Math.Min(Options.AudioChunkSegments, segments.Count - first);
                        Send(new Audio(item, first, DecodeSegments(audio, segments, first, count, ct)));
                    }
                    var batch = new List<RgbFrame>(Options.FrameBatch);
                    int index = 0;
                    var frames = hasVideo
                        ? FrameDecoder.Decode(video, Options.Fps, _frames.InputWidth, _frames.InputHeight, segments[0].Start, segments[^1].End, ct)
                        : Enumerable.Empty<RgbFrame>(); // audio only: music (and its texts) without video features
                    foreach (var frame in frames)
                    {
                        // with music alongside, each audio chunk goes out just before the first frame of its segments
                        double t = segments[0].Start + index++ / Options.Fps;
                        while (Options.MusicAlongsideFrames && sent < chunks && segments[sent * Options.AudioChunkSegments].Start <= t)
                        {
                            if (batch.Count > 0) { Send(new Frames(item, batch)); batch = new List<RgbFrame>(Options.FrameBatch); }
                            SendAudio(sent++);
                        }
                        batch.Add(frame);
                        if (batch.Count == Options.FrameBatch) { Send(new Frames(item, batch)); batch = new List<RgbFrame>(Options.FrameBatch); }
                    }
                    if (batch.Count > 0) Send(new Frames(item, batch));
                    while (sent < chunks) SendAudio(sent++);
                    Send(new End(item));
                }
                catch (MediaException e) when (!ct.IsCancellationRequested)
                {
                    Send(new Failed(item, e.Path, e.Problem));
                }
                catch (VimlException e) when (!ct.IsCancellationRequested)
                {
                    Send(new Failed(item, item.Video, e.Message));
                }
            }
        }
        finally
        {
            busy.Stop();
            queue.CompleteAdding();
        }
    }

    /// <summary>
    /// Probes an item's files and cuts its clip into segments; the clip ends where the shorter of video and audio ends.
    /// A file with sound and no picture (and no separate audio) is an audio-only item: its segments follow the audio.
    /// </summary>
    (MediaInfo Video, MediaInfo Audio, IReadOnlyList<Segment> Segments) Plan(ManifestItem item, CancellationToken ct)
    {
        var video = MediaProbe.Probe(item.Video, ct);
        if (video.Video is null && item.Audio is not null) throw new MediaException(item.Video, "no video stream");
        var audio = item.Audio is null ? video : MediaProbe.Probe(item.Audio, ct);
        if (audio.Audio is null) throw new MediaException(audio.Path, "no audio stream");
        double end = item.End ?? Math.Min(video.Duration, audio.Duration);
        var (s, e) = TimeRange.Resolve(video, item.Start, end);
        if (!ReferenceEquals(audio, video)) (s, e) = TimeRange.Resolve(audio, s, e);
        return (video, audio, SegmentFeatures.Split(s, e, Spec, item.Video));
    }

    /// <summary>Mono PCM of <paramref name="count"/> segments from one ffmpeg run, cut per segment; a stream that ends early is padded with silence.</summary>
    float[][] DecodeSegments(MediaInfo audio, IReadOnlyList<Segment> segments, int first, int count, CancellationToken ct)
    {
        int rate = _music.SampleRate;
        double from = segments[first].Start, to = segments[first + count - 1].End;
        var pcm = AudioDecoder.DecodeMono(audio, rate, from, to, ct);
        return SegmentFeatures.CutAudio(pcm, from, segments, first, count, rate);
    }

    /// <summary>The encoding side: embeds frames and audio as they arrive, averages frames per segment, writes items.</summary>
    sealed class Consumer(Extractor x, int total, Action<FeatureItem> write, IProgress<ExtractionProgress>? progress, CancellationToken ct)
    {
        public int Extracted, Skipped, FrameCount;
        public double MediaSeconds;
        public readonly List<ExtractionFailure> Failures = [];
        public readonly Stopwatch FrameEncode = new();

        // the item being encoded
        Begin? _item;
        FrameMeans? _video;
        float[][] _music = [], _tags = [];
        int _frames, _expectedFrames, _musicDone;

        public void Handle(Message m)
        {
            if (_item is null && m is Frames or Audio or End) return; // the rest of an item that already failed
            try
            {
                switch (m)
                {
                    case Skip: Skipped++; Report(null, 0); break;
                    case Failed f: Fail(f.Item, f.File, f.Problem); break;
                    case Begin b: Start(b); break;
                    case Frames f: AddFrames(f.Batch); break;
                    case Audio a: AddAudio(a); break;
                    case End: Finish(); break;
                }
            }
            catch (MediaException e) { Fail(m.Item, e.Path, e.Problem); }
            catch (VimlException e) { Fail(m.Item, m.Item.Video, e.Message); }
        }

        void Start(Begin b)
        {
            _item = b;
            int s = b.Segments.Count;
            _video = new FrameMeans(b.Segments, x._frames.Dimension, x.Options.Fps);
            _music = new float[s][];
            _tags = new float[s][];
            _frames = 0;
            _musicDone = 0;
            _expectedFrames = FrameDecoder.ExpectedFrames(b.Duration, x.Options.Fps);
            Report(b.Item.Id, 0);
        }

        void AddFrames(List<RgbFrame> batch)
        {
            FrameEncode.Start();
            var embeddings = x._frames.Embed(batch);
            FrameEncode.Stop();
            if (embeddings.Length != batch.Count) throw new InvalidOperationException($"{x._frames.Name} returned {embeddings.Length} embeddings for {batch.Count} frames");
            foreach (var e in embeddings)
            {
                if (e.Length != x._frames.Dimension) throw new InvalidOperationException($"{x._frames.Name} returned a {e.Length}-d embedding, not {x._frames.Dimension}-d");
                _video!.Add(e);
                _frames++;
            }
            FrameCount += batch.Count;
            Report(_item!.Item.Id, 0.9 * Math.Min(1, (double)_frames / _expectedFrames));
        }

        // music: on this thread, or (MusicAlongsideFrames) on a worker while this thread embeds frames
        readonly SemaphoreSlim _musicLock = new(1, 1); // the music encoder serves one call at a time
        List<Task> _pending = [];                        // the current item's music chunks
        readonly List<Task> _abandoned = [];             // chunks of items that failed, awaited before the run returns
        long _musicTicks;
        public TimeSpan MusicEncode => TimeSpan.FromTicks(Interlocked.Read(ref _musicTicks));

        void AddAudio(Audio a)
        {
            float[][] music = _music, tags = _tags;
            if (!x.Options.MusicAlongsideFrames)
            {
                EmbedMusic(a, music, tags);
                _musicDone += a.Segments.Length;
                Report(_item!.Item.Id, 0.9 + 0.1 * _musicDone / _music.Length);
                return;
            }
            if (_pending.Count >= 2) Task.WhenAny(_pending[^2]).Wait(); // at most two chunks of PCM waiting
            _pending.Add(Task.Run(() =>
            {
                _musicLock.Wait();
                try { if (!ct.IsCancellationRequested) EmbedMusic(a, music, tags); } // a cancelled run's waiting chunks are dropped
                finally { _musicLock.Release(); }
            }));
        }

        void EmbedMusic(Audio a, float[][] music, float[][] tags)
        {
            var clock = Stopwatch.StartNew();
            var features = SegmentFeatures.EmbedMusic(x._music, a.Segments);
            Interlocked.Add(ref _musicTicks, clock.Elapsed.Ticks);
            for (int k = 0; k < features.Length; k++)
            {
                music[a.FirstSegment + k] = features[k].Embedding;
                tags[a.FirstSegment + k] = features[k].Tags;
            }
        }

        /// <summary>Waits for the current item's music; an encoder error surfaces as thrown.</summary>
        void AwaitMusic()
        {
            var pending = _pending;
            _pending = [];
            try { Task.WaitAll(pending); }
            catch (AggregateException e) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]); }
        }

        /// <summary>Waits for every music chunk still running (so the encoder is idle when the run returns), ignoring their errors.</summary>
        public void Drain()
        {
            var all = _pending.Concat(_abandoned).ToArray();
            _pending = [];
            _abandoned.Clear();
            try { Task.WaitAll(all); } catch (AggregateException) { /* failed items are already reported */ }
        }

        void Finish()
        {
            var b = _item!;
            AwaitMusic();
            ct.ThrowIfCancellationRequested(); // music chunks of a cancelled run may have been dropped
            var segments = b.Segments;
            var video = new float[segments.Count][];
            for (int i = 0; i < segments.Count; i++)
            {
                if (!b.HasVideo) { video[i] = new float[x._frames.Dimension]; continue; }
                video[i] = _video!.Mean(i)
                    ?? throw new MediaException(b.Item.Video, $"no video frames in the segment {segments[i].Start:0.##}-{segments[i].End:0.##} s (the video stream ends before the audio)");
            }
            for (int i = 0; i < segments.Count; i++)
                if (_music[i] is null) throw new InvalidOperationException($"segment {i} of {b.Item.Id} has no music features");
            var source = new Dictionary<string, string>
            {
                ["video"] = b.Item.Video,
                ["audio"] = b.AudioPath,
                ["start"] = segments[0].Start.ToString("0.###", CultureInfo.InvariantCulture),
                ["end"] = segments[^1].End.ToString("0.###", CultureInfo.InvariantCulture),
            };
            if (!b.HasVideo) source[FeatureItem.VideoStreamKey] = FeatureItem.NoVideo;
            write(new FeatureItem(b.Item.Id, video, _music, _tags, segments.Select(s => s.Start).ToArray(), source));
            Extracted++;
            MediaSeconds += b.Duration;
            _item = null;
            Report(null, 0);
        }

        void Fail(ManifestItem item, string file, string problem)
        {
            if (Failures.Count > 0 && Failures[^1].Id == item.Id) return; // the decoding side's report of an item already failed here
            Failures.Add(new ExtractionFailure(item.Id, file, problem));
            _abandoned.AddRange(_pending);
            _pending = [];
            _item = null;
            Report(null, 0);
        }

        void Report(string? current, double fraction) =>
            progress?.Report(new ExtractionProgress(total, Extracted, Skipped, Failures.Count, current, fraction));
    }
}
