using System.Diagnostics;
using Viml.Encoders;
using Viml.Media;

namespace Viml.Catalog;

/// <summary>The parts a query composes: probing and frame decoding, segmentation, the frame and text encoders, the model.</summary>
public sealed record QueryParts(
    Func<string, CancellationToken, double> Duration,
    Func<string, double, int, int, double?, double?, CancellationToken, IEnumerable<RgbFrame>> DecodeFrames,
    Func<double, double, string, IReadOnlyList<(double Start, double End)>> Split,
    IFrameEncoder Frames,
    ITextEncoder Text,
    ICatalogModel Model,
    double Fps = 6);

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
/// Turns a video and/or a sentence into the model's query embedding, with the same features as training:
/// frames at <see cref="QueryParts.Fps"/> (6, the paper's) through the frame encoder, averaged per 10-s segment
/// (a frame belongs to the segment holding the middle of its interval).
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

    public VideoQuery(QueryParts parts)
    {
        if (parts.Frames.Dimension != parts.Model.VideoDimension)
            throw new InvalidInputException($"the model expects {parts.Model.VideoDimension}-d frame features, {parts.Frames.Name} gives {parts.Frames.Dimension}-d");
        if (parts.Text.Dimension != parts.Model.TextDimension)
            throw new InvalidInputException($"the model expects {parts.Model.TextDimension}-d text features, {parts.Text.Name} gives {parts.Text.Dimension}-d");
        Viml.Model.EncoderNames.Check(parts.Model.BaseEncoders, Viml.Model.EncoderNames.Video, parts.Frames.Name, $"model {parts.Model.Id}",
            "pass the same --frame-encoder the features were extracted with");
        Viml.Model.EncoderNames.Check(parts.Model.BaseEncoders, Viml.Model.EncoderNames.Text, parts.Text.Name, $"model {parts.Model.Id}",
            "pass the same --text-encoder the model was trained with");
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

        decode.Start();
        double duration = _p.Duration(videoPath, ct);
        var all = _p.Split(0, duration, videoPath);
        decode.Stop();
        var chosen = Sample(all.Count).Select(i => all[i]).ToArray();
        var features = new float[chosen.Length][];
        var cuts = new Viml.Rhythm.CutDetector(_p.Fps);
        if (chosen.Length == all.Count)
            EncodeRange(videoPath, chosen, features, decode, frames, ct, cuts);          // one pass over the used span
        else
            for (int i = 0; i < chosen.Length; i++)                                 // one seek per sampled segment
                EncodeRange(videoPath, chosen[i..(i + 1)], features.AsSpan(i, 1), decode, frames, ct, cuts);

        // A segment without a single frame (a long gap in the video) is left out, with a note, when others have frames.
        var empty = chosen.Where((_, i) => features[i] is null).ToArray();
        if (empty.Length == chosen.Length)
            throw new MediaException(videoPath, $"no frames decoded in {empty[0].Start:0.#}-{empty[^1].End:0.#} s" + (empty.Length > 1 ? $" ({empty.Length} segments)" : ""));
        features = features.Where(f => f is not null).ToArray();
        model.Start();
        var q = _p.Model.EmbedQuery(features, textBase);
        model.Stop();
        return new QueryEmbedding(q, features.Length, all.Count, textBase != null, new QueryTimings(decode.Elapsed, frames.Elapsed, textSw.Elapsed, model.Elapsed, TimeSpan.Zero))
            { EmptySegments = empty, Pace = cuts.Finish(chosen) };
    }

    /// <summary>Frames decoded ahead of the encoder at most (224x224 RGB: 150 KB each).</summary>
    const int DecodeAhead = 48;
    const int Batch = 16;

    /// <summary>
    /// Mean frame feature per segment over one contiguous span. ffmpeg's frames are read on a second thread into a
    /// bounded queue while the encoder works on the previous batch, so decoding and encoding overlap; <paramref name="decode"/>
    /// counts only the time the encoder waited for frames.
    /// </summary>
    void EncodeRange(string path, (double Start, double End)[] segs, Span<float[]> output, Stopwatch decode, Stopwatch frames, CancellationToken ct,
        Viml.Rhythm.CutDetector? cuts = null)
    {
        var enc = _p.Frames;
        int d = enc.Dimension;
        var sums = new float[segs.Length][];
        var counts = new int[segs.Length];
        for (int i = 0; i < segs.Length; i++) sums[i] = new float[d];
        double t0 = segs[0].Start, t1 = segs[^1].End;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new System.Collections.Concurrent.BlockingCollection<RgbFrame>(DecodeAhead);
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                // frames are reused by some decoders: keep a copy while queued
                foreach (var f in _p.DecodeFrames(path, _p.Fps, enc.InputWidth, enc.InputHeight, t0, t1, stop.Token))
                    queue.Add(f with { Pixels = f.Pixels.ToArray() }, stop.Token);
            }
            finally { queue.CompleteAdding(); }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var batch = new List<RgbFrame>(Batch);
        var owners = new List<int>(Batch);
        int frameIndex = 0;
        void Flush()
        {
            if (batch.Count == 0) return;
            frames.Start();
            var emb = enc.Embed(batch);
            frames.Stop();
            for (int j = 0; j < emb.Length; j++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(sums[owners[j]], emb[j], sums[owners[j]]);
                counts[owners[j]]++;
            }
            batch.Clear(); owners.Clear();
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
                double t = t0 + (frameIndex++ + 0.5) / _p.Fps;
                cuts?.Add(t, f.Pixels.Span, f.Width, f.Height);
                int s = 0;
                while (s < segs.Length - 1 && t >= segs[s].End) s++;
                batch.Add(f);
                owners.Add(s);
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
        for (int i = 0; i < segs.Length; i++)
        {
            if (counts[i] == 0) continue;   // no frame in this segment: left null, Embed leaves it out
            System.Numerics.Tensors.TensorPrimitives.Divide(sums[i], counts[i], sums[i]);
            output[i] = sums[i];
        }
    }
}
