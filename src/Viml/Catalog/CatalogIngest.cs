using System.Diagnostics;
using System.Security.Cryptography;
using Viml.Encoders;
using Viml.Features;

namespace Viml.Catalog;

/// <summary>The trained model as the catalog and recommend use it: its music branch and its query side.</summary>
public interface ICatalogModel
{
    /// <summary>Identifies the weights (a content hash of the checkpoint): vectors of different ids do not mix.</summary>
    string Id { get; }
    /// <summary>Size of the joint embedding.</summary>
    int Dimension { get; }
    /// <summary>Sizes of the base features it expects.</summary>
    int MusicDimension { get; }
    int VideoDimension { get; }
    int TextDimension { get; }
    /// <summary>L2-normalised embedding of a sequence of music segment features.</summary>
    float[] EmbedMusic(float[][] musicSegments);
    /// <summary>One embedding per sequence; override to batch.</summary>
    float[][] EmbedMusicBatch(IReadOnlyList<float[][]> sequences) => sequences.Select(EmbedMusic).ToArray();
    /// <summary>L2-normalised query embedding of video segment features steered by a text base feature (null = no text).</summary>
    float[] EmbedQuery(float[][] videoSegments, float[]? textBase);
    /// <summary>Text-only query embedding (the MT branch), or null when the model has none.</summary>
    float[]? EmbedTextOnly(float[] textBase);
    /// <summary>The feature contract the checkpoint recorded (<see cref="FeatureSpec.ToMetadata"/> keys); empty when unknown.</summary>
    IReadOnlyDictionary<string, string> BaseEncoders => new Dictionary<string, string>();
    /// <summary>The features the model was trained on; the paper's values where the checkpoint recorded none.</summary>
    FeatureSpec Spec => FeatureSpec.FromMetadata(BaseEncoders, $"model {Id}");
    /// <summary>The fields of <see cref="Spec"/> the checkpoint recorded: only those are checked against the encoders given.</summary>
    SpecFields RecordedSpec => FeatureSpec.Recorded(BaseEncoders);
}

/// <summary>The parts an ingest composes: the audio source, the base music encoder + tagger, the model.</summary>
public sealed record IngestParts(IAudioSource Audio, IMusicEncoder Encoder, ICatalogModel Model)
{
    /// <summary>The features this ingest makes: the model's spec, with the music encoder's name and rate.</summary>
    public FeatureSpec Spec => Model.Spec with { MusicEncoder = Encoder.Name, SampleRate = Encoder.SampleRate };

    /// <summary>Throws, naming both values, when the music encoder is not the one the model was trained on.</summary>
    public void RefuseOtherEncoder() =>
        Model.Spec.RefuseMismatch(Spec, $"model {Model.Id}", $"the music encoder {Encoder.Name}",
            "catalogs are embedded with the musicnn taggers Viml ships; train on features made by them",
            Model.RecordedSpec & (SpecFields.MusicEncoder | SpecFields.SampleRate));
}

public enum IngestOutcome { Added, Replaced, Unchanged, Failed, Removed }

/// <summary>One file handled: what happened and, for failures, why.</summary>
public sealed record IngestEvent(string Path, IngestOutcome Outcome, string? Problem = null, double AudioSeconds = 0);

public sealed record IngestReport(IReadOnlyList<IngestEvent> Events, TimeSpan Elapsed)
{
    public int Count(IngestOutcome o) => Events.Count(e => e.Outcome == o);
    public double AudioSeconds => Events.Sum(e => e.AudioSeconds);
    /// <summary>Seconds of audio analysed per second of wall time.</summary>
    public double RealTimeFactor => Elapsed.TotalSeconds > 0 ? AudioSeconds / Elapsed.TotalSeconds : 0;
}

/// <summary>Progress of a long catalog operation: files done out of total, and the file just handled.</summary>
public readonly record struct IngestProgress(int Done, int Total, IngestEvent? Last);

/// <summary>
/// Turns audio files into catalog tracks: decode mono PCM at the encoder's rate → cut into segments →
/// base music features + tag confidences per segment → the model's music branch, once per segment
/// (a length-1 sequence, for best-segment search) and once for the whole sequence (the track vector)
/// → one transaction. Base features are stored so a new model re-embeds without decoding again.
/// Incremental: a path whose size and time are unchanged is skipped without reading it, one whose
/// content hash is unchanged is skipped after hashing, a changed one is replaced.
/// </summary>
public sealed class CatalogIngest
{
    /// <summary>Extensions picked up when a folder is given (files named explicitly are always tried).</summary>
    public static readonly IReadOnlySet<string> AudioExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".mp3", ".flac", ".wav", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".mp4a", ".wma", ".aif", ".aiff", ".mka", ".webm" };

    readonly MusicCatalog _catalog;
    readonly IngestParts _parts;
    readonly FeatureSpec _spec;

    /// <param name="adoptModel">Point the catalog at the parts' model even when it holds vectors of another
    /// (they become stale until <see cref="Reembed"/>); otherwise a different model is refused.</param>
    public CatalogIngest(MusicCatalog catalog, IngestParts parts, bool adoptModel = false)
    {
        if (parts.Model.MusicDimension != parts.Encoder.Dimension)
            throw new InvalidInputException($"the model expects {parts.Model.MusicDimension}-d music features, {parts.Encoder.Name} gives {parts.Encoder.Dimension}-d");
        parts.RefuseOtherEncoder();
        _spec = parts.Spec;
        catalog.Info.Spec.RefuseMismatch(_spec, $"the catalog {catalog.Root}", $"model {parts.Model.Id}",
            "use a new catalog folder for this model", SpecFields.Music);
        if (!adoptModel && catalog.Info.ModelId != parts.Model.Id && catalog.CountTracks() > 0)
            throw new StaleCatalogException($"{catalog.Root}: the catalog was embedded with model {catalog.Info.ModelId}, not {parts.Model.Id}; run `viml catalog reembed --catalog {catalog.Root} --model <checkpoint>` first");
        if (catalog.Info.ModelId != parts.Model.Id) catalog.SetModel(parts.Model.Id, parts.Model.Dimension, _spec);
        _catalog = catalog; _parts = parts;
    }

    /// <summary>Catalog info for a new catalog made with these parts.</summary>
    public static CatalogInfo InfoFor(IngestParts p) => new(p.Encoder.Name, p.Encoder.Dimension,
        p.Encoder.Tags.Select(t => t.FullName).ToArray(), p.Model.Id, p.Model.Dimension) { Spec = p.Spec };

    /// <summary>Audio files under the given folders (recursive, by extension, each real folder once) and the files named,
    /// absolute, sorted, distinct.</summary>
    public static IReadOnlyList<string> FindAudio(IEnumerable<string> inputs)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (Directory.Exists(full))
            {
                foreach (var f in Viml.IO.FolderWalk.Files(full))
                    if (AudioExtensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.')) found.Add(f);
            }
            else if (File.Exists(full)) found.Add(full);
            else throw new InvalidInputException($"{input}: no such file or folder");
        }
        return found.ToList();
    }

    /// <summary>Adds or refreshes the given files.</summary>
    public IngestReport Add(IReadOnlyList<string> files, IProgress<IngestProgress>? progress = null, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var events = new List<IngestEvent>();
        progress?.Report(new IngestProgress(0, files.Count, null));
        for (int i = 0; i < files.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var e = AddOne(files[i], ct);
            events.Add(e);
            progress?.Report(new IngestProgress(i + 1, files.Count, e));
        }
        return new IngestReport(events, sw.Elapsed);
    }

    IngestEvent AddOne(string path, CancellationToken ct)
    {
        FileInfo fi;
        try { fi = new FileInfo(path); if (!fi.Exists) return new(path, IngestOutcome.Failed, "file vanished"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new(path, IngestOutcome.Failed, e.Message); }
        long size = fi.Length, mtime = fi.LastWriteTimeUtc.Ticks;
        var known = _catalog.Lookup(path);
        if (known is { } k0 && k0.Size == size && k0.ModifiedTicks == mtime && k0.ModelId == _parts.Model.Id)
            return BackfillRhythm(path, ct) ?? new(path, IngestOutcome.Unchanged);
        string hash;
        try { hash = Hash(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new(path, IngestOutcome.Failed, e.Message); }
        if (known is { } k1 && k1.Hash == hash && k1.ModelId == _parts.Model.Id)
        {
            _catalog.Touch(path, size, mtime);
            return BackfillRhythm(path, ct) ?? new(path, IngestOutcome.Unchanged);
        }
        TrackRecord record;
        try { record = Analyse(_parts, path, hash, size, mtime, ct); }
        catch (MediaException e) { return new(path, IngestOutcome.Failed, e.Message.StartsWith(path) ? e.Message[(path.Length)..].TrimStart(':', ' ') : e.Message); }
        _catalog.Put(record);
        return new(path, known is null ? IngestOutcome.Added : IngestOutcome.Replaced, null, record.Metadata.Duration);
    }

    /// <summary>An unchanged track stored before rhythm was: its rhythm is analysed now (null: nothing to do, or done).</summary>
    IngestEvent? BackfillRhythm(string path, CancellationToken ct)
    {
        try { RhythmStore.Backfill(_catalog, path, _parts.Audio.DecodeMono, _parts.Encoder.SampleRate, ct); return null; }
        catch (MediaException e) { return new(path, IngestOutcome.Failed, "rhythm: " + e.Problem); }
    }

    /// <summary>
    /// Analyses one file without touching a catalog: the record <see cref="MusicCatalog.Put"/> stores. Workers
    /// use it (`viml catalog add --redis`) while the catalog's single writer puts the records.
    /// </summary>
    public static TrackRecord AnalyseFile(IngestParts parts, string path, CancellationToken ct = default)
    {
        parts.RefuseOtherEncoder();
        var fi = new FileInfo(path);
        if (!fi.Exists) throw new InvalidInputException($"{path}: no such file");
        return Analyse(parts, path, Hash(path), fi.Length, fi.LastWriteTimeUtc.Ticks, ct);
    }

    static TrackRecord Analyse(IngestParts parts, string path, string hash, long size, long mtime, CancellationToken ct)
    {
        var enc = parts.Encoder;
        int sr = enc.SampleRate;
        float[] pcm = parts.Audio.DecodeMono(path, sr, ct);
        double duration = (double)pcm.Length / sr;
        var spans = SegmentFeatures.Split(0, duration, parts.Spec, path);
        if (spans.Count == 0) throw new MediaException(path, "too short to hold a segment");
        var slices = SegmentFeatures.CutAudio(pcm, 0, spans, 0, spans.Count, sr);
        ct.ThrowIfCancellationRequested();
        var features = SegmentFeatures.EmbedMusic(enc, slices);
        var model = parts.Model;
        var perSegment = model.EmbedMusicBatch(features.Select(f => new[] { f.Embedding }).ToArray());
        var segments = new SegmentRecord[spans.Count];
        for (int i = 0; i < spans.Count; i++)
            segments[i] = new SegmentRecord(spans[i].Start, spans[i].End, features[i].Embedding, features[i].Tags, perSegment[i]);
        var trackVector = model.EmbedMusic(features.Select(f => f.Embedding).ToArray());
        var meanTags = new float[enc.Tags.Count];
        foreach (var f in features) for (int t = 0; t < meanTags.Length && t < f.Tags.Length; t++) meanTags[t] += f.Tags[t] / features.Length;
        var meta = TrackMetadata.Read(path, duration);
        return new TrackRecord(path, hash, size, mtime, meta, segments, trackVector, meanTags, model.Id)
            { Rhythm = Viml.Rhythm.RhythmAnalyzer.Analyse(pcm, sr) };
    }

    /// <summary>SHA-256 of the file's bytes, hex.</summary>
    public static string Hash(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }

    /// <summary>Drops tracks whose file no longer exists; with <paramref name="rescan"/>, then adds new and changed files
    /// under the catalog's folders. Tracks of an unavailable folder (<see cref="UnavailableFolders"/>) are kept unless
    /// <paramref name="forgetMissing"/>.</summary>
    public IngestReport Sync(bool rescan, IProgress<IngestProgress>? progress = null, CancellationToken ct = default,
        bool forgetMissing = false) =>
        SyncCatalog(_catalog, rescan ? this : null, progress, ct, forgetMissing);

    /// <summary>Drops tracks whose file is gone (no model needed); those of an unavailable folder only with
    /// <paramref name="forgetMissing"/>.</summary>
    public static IngestReport Prune(MusicCatalog catalog, IProgress<IngestProgress>? progress = null, CancellationToken ct = default,
        bool forgetMissing = false) =>
        SyncCatalog(catalog, null, progress, ct, forgetMissing);

    static IngestReport SyncCatalog(MusicCatalog catalog, CatalogIngest? ingest, IProgress<IngestProgress>? progress, CancellationToken ct,
        bool forgetMissing)
    {
        var sw = Stopwatch.StartNew();
        var events = new List<IngestEvent>();
        var tracks = catalog.Tracks();
        var unavailable = forgetMissing ? UnavailableFolders.None : UnavailableFolders.Find(catalog.ReadRoots(), tracks);
        foreach (var t in tracks)
        {
            ct.ThrowIfCancellationRequested();
            if (!File.Exists(t.Path) && !unavailable.Holds(t.Path) && catalog.Remove(t.Path))
                events.Add(new(t.Path, IngestOutcome.Removed));
        }
        events.AddRange(unavailable.Events);
        if (ingest != null)
        {
            var roots = catalog.ReadRoots().Where(Directory.Exists).ToList();
            if (roots.Count > 0) events.AddRange(ingest.Add(FindAudio(roots), progress, ct).Events);
        }
        return new IngestReport(events, sw.Elapsed);
    }

    /// <summary>Re-embeds every stale track from its stored base features with the current model; resumable (one transaction per track).</summary>
    public IngestReport Reembed(IProgress<IngestProgress>? progress = null, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var ids = _catalog.StaleTrackIds();
        var events = new List<IngestEvent>();
        var model = _parts.Model;
        for (int i = 0; i < ids.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (trackId, segIds, feats) = _catalog.FeaturesOf(ids[i]);
            var seg = model.EmbedMusicBatch(feats.Select(f => new[] { f }).ToArray());
            _catalog.PutEmbeddings(trackId, model.EmbedMusic(feats), segIds, seg, model.Id);
            var e = new IngestEvent(_catalog.Track(trackId)?.Path ?? trackId.ToString(), IngestOutcome.Replaced);
            events.Add(e);
            progress?.Report(new IngestProgress(i + 1, ids.Count, e));
        }
        return new IngestReport(events, sw.Elapsed);
    }
}
