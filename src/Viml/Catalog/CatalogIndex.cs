using System.Text.RegularExpressions;

namespace Viml.Catalog;

/// <summary>
/// The segment index of a catalog, kept in step with its database. Files in the catalog folder:
/// <c>segments.exact</c> (keys + float32 matrix, stamped inside) and <c>segments.&lt;model&gt;.&lt;stamp&gt;.&lt;maxkey&gt;.hnsw</c>
/// (a USearch graph). Both are written to a temp name and renamed. An index whose stamp lags the
/// database is rebuilt (exact: a read of the vectors) or patched (HNSW: removed segments are deleted from
/// the graph, segments added since are inserted; segment ids are never reused).
/// </summary>
public static partial class CatalogIndex
{
    public const string ExactFile = "segments.exact";

    /// <summary>Loads (building or patching as needed) the index of <paramref name="catalog"/>.</summary>
    public static IVectorIndex Open(MusicCatalog catalog, IndexKind kind = IndexKind.Auto, HnswOptions? hnsw = null, int threads = 0)
    {
        int count = catalog.CountSegments();
        return VectorIndex.Resolve(kind, count) == IndexKind.Exact ? OpenExact(catalog) : OpenHnsw(catalog, hnsw, threads);
    }

    static ExactIndex OpenExact(MusicCatalog catalog)
    {
        string path = Path.Combine(catalog.Root, ExactFile);
        long stamp = catalog.ReadStamp();
        var loaded = ExactIndex.Load(path, stamp);
        if (loaded != null && loaded.Dimension == catalog.Info.Dimension) return loaded;
        var (keys, matrix, snapStamp) = catalog.SegmentVectors();
        var index = new ExactIndex(catalog.Info.Dimension, keys, matrix);
        index.Save(path, snapStamp);
        return index;
    }

    static string ModelTag(string modelId) => Regex.Replace(modelId, "[^A-Za-z0-9]", "")[..Math.Min(16, Regex.Replace(modelId, "[^A-Za-z0-9]", "").Length)];

    [GeneratedRegex(@"^segments\.(?<m>[A-Za-z0-9]*)\.(?<s>\d+)\.(?<k>\d+)\.hnsw$")]
    private static partial Regex HnswName();

    static HnswIndex OpenHnsw(MusicCatalog catalog, HnswOptions? options, int threads)
    {
        string model = ModelTag(catalog.Info.ModelId);
        var files = Directory.EnumerateFiles(catalog.Root, "segments.*.hnsw")
            .Select(f => (Path: f, M: HnswName().Match(Path.GetFileName(f))))
            .Where(x => x.M.Success && x.M.Groups["m"].Value == model)
            .Select(x => (x.Path, Stamp: long.Parse(x.M.Groups["s"].Value), MaxKey: long.Parse(x.M.Groups["k"].Value)))
            .OrderByDescending(x => x.Stamp).ToList();
        long stamp = catalog.ReadStamp();
        if (files.Count > 0 && files[0].Stamp == stamp)
        {
            var ready = HnswIndex.Load(files[0].Path, options);
            if (ready != null) return ready;
        }
        HnswIndex? index = null;
        long maxKey = 0;
        if (files.Count > 0 && (index = HnswIndex.Load(files[0].Path, options)) != null && index.Dimension == catalog.Info.Dimension)
        {
            // patch: drop what the database lost, add what it gained
            maxKey = files[0].MaxKey;
            var alive = catalog.SegmentKeysUpTo(maxKey);
            for (long k = 1; k <= maxKey; k++)
                if (!alive.Contains(k) && index.Contains(k)) index.Remove(k);
        }
        else
        {
            index?.Dispose();
            index = HnswIndex.Create(catalog.Info.Dimension, options);
        }
        var (keys, matrix, snapStamp) = catalog.SegmentVectors(afterKey: maxKey);
        index.AddRange(keys, matrix, threads);
        long newMax = keys.Length > 0 ? keys[^1] : maxKey;
        string path = Path.Combine(catalog.Root, $"segments.{model}.{snapStamp}.{newMax}.hnsw");
        index.Save(path);
        foreach (var f in files) if (f.Path != path) TryDelete(f.Path);
        return index;
    }

    static void TryDelete(string path) { try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
}
