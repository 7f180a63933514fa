using System.Diagnostics;
using Viml.Encoders;
using Viml.Features;
using Viml.Media;

namespace Viml.Catalog;

/// <summary>The parts a query composes: the video source, the frame and text encoders, the model, and the frame rate
/// a query samples (a query may sample fewer frames than training did: a segment's feature is a mean).</summary>
public sealed record QueryParts(
    IVideoSource Video,
    IFrameEncoder Frames,
    ITextEncoder Text,
    ICatalogModel Model,
    double Fps = FeatureSpec.PaperFps);

/// <summary>A video's segment features as a query computes them (<see cref="SegmentFeatures"/>).</summary>
/// <param name="Segments">The segments used (all, or <see cref="VideoQuery.MaxSegments"/> evenly spaced).</param>
/// <param name="Features">One video feature per used segment; null where the segment holds no frame.</param>
/// <param name="SegmentCount">Segments the whole video has.</param>
public sealed record VideoSegments(IReadOnlyList<Segment> Segments, float[]?[] Features, int SegmentCount);

/// <summary>Where the seconds of one query went.</summary>
public sealed record QueryTimings(TimeSpan Decode, TimeSpan FrameEncoding, TimeSpan TextEncoding, TimeSpan Model, TimeSpan Search)
{
    public TimeSpan Total => Decode + FrameEncoding + TextEncoding + Model + Search;
}

/// <summary>A query embedding and how it was made.</summary>
public sealed record QueryEmbedding(float[] Vector, int VideoSegments, int SampledFrom, bool TextUsed, QueryTimings Timings)
{
    /// <summary>Segments left out because the video has no frame in them (a long gap between frames).</summary>
    public IReadOnlyList<(double Start, double End)> EmptySegments { get; init; } = [];
    /// <summary>Cuts and motion of the video, from the frames the embedding decoded (null for a text-only query).</summary>
    public Viml.Rhythm.VideoPace? Pace { get; init; }
}

/// <summary>
/// Turns a video and/or a sentence into the model's query embedding, with the same segment features as training
/// (<see cref="SegmentFeatures"/>, at the model's segment length): frames at <see cref="QueryParts.Fps"/> through the
/// frame encoder, averaged per segment.
/// Long videos: at most <see cref="MaxSegments"/> segments are used, evenly spaced over the video
/// (first and last included), each decoded on its own with a seek, so a 2-hour film costs what a 3-minute clip does.
/// Modes: video + text (fused), video only (empty text: the model's no-text input, as trained with text dropout),
/// text only (the MT branch, when the checkpoint has one).
/// </summary>
public sealed class VideoQuery
{
    /// <summary>Segments used at most: 18 x 10 s = 3 minutes of frames.</summary>
    public const int MaxSegments = 18;
    readonly QueryParts _p;
    readonly FeatureSpec _spec;

    public VideoQuery(QueryParts parts)
    {
        FeatureSpec.CheckFps(parts.Fps, "query fps");
        if (parts.Frames.Dimension != parts.Model.VideoDimension)
            throw new InvalidInputException($"the model expects {parts.Model.VideoDimension}-d frame features, {parts.Frames.Name} gives {parts.Frames.Dimension}-d");
        if (parts.Text.Dimension != parts.Model.TextDimension)
            throw new InvalidInputException($"the model expects {parts.Model.TextDimension}-d text features, {parts.Text.Name} gives {parts.Text.Dimension}-d");
        _spec = parts.Model.Spec;
        var recorded = parts.Model.RecordedSpec;
        _spec.RefuseMismatch(_spec with { FrameEncoder = parts.Frames.Name }, $"model {parts.Model.Id}", "this query",
            "pass the same --frame-encoder the features were extracted with", recorded & SpecFields.FrameEncoder);
        _spec.RefuseMismatch(_spec with { TextEncoder = parts.Text.Name }, $"model {parts.Model.Id}", "this query",
            "pass the same --text-encoder the model was trained with", recorded & SpecFields.TextEncoder);
        _p = parts;
    }

    /// <summary>Indices of the segments used: all when at most <paramref name="max"/>, else evenly spaced, first and last included.</summary>
    public static int[] Sample(int count, int max = MaxSegments) =>
        count <= max ? Enumerable.Range(0, count).ToArray()
                     : Enumerable.Range(0, max).Select(i => (int)Math.Round(i * (count - 1) / (double)(max - 1))).ToArray();

    public QueryEmbedding Embed(string? videoPath, string? text, CancellationToken ct = default)
    {
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (videoPath is null && text is null) throw new InvalidInputException("a query needs a video, a text, or both");
        var decode = new Stopwatch(); var frames = new Stopwatch(); var textSw = new Stopwatch(); var model = new Stopwatch();

        float[]? textBase = null;
        if (text != null)
        {
            textSw.Start();
            textBase = _p.Text.Embed([text])[0];
            textSw.Stop();
        }
        if (videoPath is null)
        {
            model.Start();
            var v = _p.Model.EmbedTextOnly(textBase!)
                ?? throw new InvalidInputException("this checkpoint has no text-only (MT) branch; give a video too, or use an MT checkpoint for text-only queries");
            model.Stop();
            return new QueryEmbedding(v, 0, 0, true, new QueryTimings(TimeSpan.Zero, TimeSpan.Zero, textSw.Elapsed, model.Elapsed, TimeSpan.Zero));
        }

        var cuts = new Viml.Rhythm.CutDetector(_p.Fps);
        var video = Segments(videoPath, decode, frames, cuts, ct);
        var chosen = video.Segments.Select(s => (s.Start, s.End)).ToArray();

        // A segment without a single frame (a long gap in the video) is left out, with a note, when others have frames.
        var empty = chosen.Where((_, i) => video.Features[i] is null).ToArray();
        if (empty.Length == chosen.Length)
            throw new MediaException(videoPath, $"no frames decoded in {empty[0].Start:0.#}-{empty[^1].End:0.#} s" + (empty.Length > 1 ? $" ({empty.Length} segments)" : ""));
        var features = video.Features.OfType<float[]>().ToArray();
        model.Start();
        var q = _p.Model.EmbedQuery(features, textBase);
        model.Stop();
        return new QueryEmbedding(q, features.Length, video.SegmentCount, textBase != null, new QueryTimings(decode.Elapsed, frames.Elapsed, textSw.Elapsed, model.Elapsed, TimeSpan.Zero))
            { EmptySegments = empty, Pace = cuts.Finish(chosen) };
    }

    /// <summary>The video's segment features as training computes them (<see cref="SegmentFeatures"/>), for the
    /// segments a query uses.</summary>
    public VideoSegments Segments(string videoPath, CancellationToken ct = default) =>
        Segments(videoPath, new Stopwatch(), new Stopwatch(), null, ct);

    VideoSegments Segments(string videoPath, Stopwatch decode, Stopwatch frames, Viml.Rhythm.CutDetector? cuts, CancellationToken ct)
    {
        decode.Start();
        double duration = _p.Video.Duration(videoPath, ct);
        var all = SegmentFeatures.Split(0, duration, _spec, videoPath);
        decode.Stop();
        var chosen = Sample(all.Count).Select(i => all[i]).ToArray();
        var features = new float[]?[chosen.Length];
        if (chosen.Length == all.Count)
            EncodeRange(videoPath, chosen, features, decode, frames, ct, cuts);          // one pass over the used span
        else
            for (int i = 0; i < chosen.Length; i++)                                 // one seek per sampled segment
                EncodeRange(videoPath, chosen[i..(i + 1)], features.AsSpan(i, 1), decode, frames, ct, cuts);
        return new VideoSegments(chosen, features, all.Count);
    }

    /// <summary>Frames decoded ahead of the encoder at most (224x224 RGB: 150 KB each).</summary>
    const int DecodeAhead = 48;
    const int Batch = 16;

    /// <summary>
    /// Mean frame feature per segment over one contiguous span. ffmpeg's frames are read on a second thread into a
    /// bounded queue while the encoder works on the previous batch, so decoding and encoding overlap; <paramref name="decode"/>
    /// counts only the time the encoder waited for frames.
    /// </summary>
    void EncodeRange(string path, Segment[] segs, Span<float[]?> output, Stopwatch decode, Stopwatch frames, CancellationToken ct,
        Viml.Rhythm.CutDetector? cuts = null)
    {
        var enc = _p.Frames;
        var means = new FrameMeans(segs, enc.Dimension, _p.Fps);
        double t0 = segs[0].Start, t1 = segs[^1].End;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new System.Collections.Concurrent.BlockingCollection<RgbFrame>(DecodeAhead);
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                // frames are reused by some decoders: keep a copy while queued
                foreach (var f in _p.Video.Frames(path, _p.Fps, enc.InputWidth, enc.InputHeight, t0, t1, stop.Token))
                    queue.Add(f with { Pixels = f.Pixels.ToArray() }, stop.Token);
            }
            finally { queue.CompleteAdding(); }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var batch = new List<RgbFrame>(Batch);
        int frameIndex = 0;
        void Flush()
        {
            if (batch.Count == 0) return;
            frames.Start();
            var emb = enc.Embed(batch);
            frames.Stop();
            if (emb.Length != batch.Count) throw new InvalidOperationException($"{enc.Name} returned {emb.Length} embeddings for {batch.Count} frames");
            foreach (var e in emb) means.Add(e);
            batch.Clear();
        }

        Exception? failure = null;
        try
        {
            while (true)
            {
                decode.Start();
                bool got = queue.TryTake(out var f, Timeout.Infinite, stop.Token);
                decode.Stop();
                if (!got) break;
                cuts?.Add(SegmentFeatures.FrameTime(t0, frameIndex++, _p.Fps), f.Pixels.Span, f.Width, f.Height);
                batch.Add(f);
                if (batch.Count == Batch) Flush();
            }
            Flush();
        }
        catch (Exception e) { failure = e; }
        stop.Cancel();   // an encoder error stops ffmpeg too
        try { reader.Wait(CancellationToken.None); }
        catch (AggregateException e) when (failure is null && reader.IsFaulted) { failure = e.InnerException; }
        catch (AggregateException) { /* cancelled because the encoding side stopped first: its error wins */ }
        if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        ct.ThrowIfCancellationRequested();
        for (int i = 0; i < segs.Length; i++) output[i] = means.Mean(i);   // null: no frame here, Embed leaves it out
    }
}
