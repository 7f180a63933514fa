namespace Viml.Catalog;

/// <summary>What a user sees of a track: from the file's own tags, the file name when it has none.</summary>
public sealed record TrackMetadata(string Title, string? Artist, string? Album, string? Genre, double Duration)
{
    /// <summary>Reads ID3 / Vorbis / MP4 tags with TagLibSharp; the decoded duration wins over the container's (VBR files state it loosely)
    /// </summary>
    public static TrackMetadata Read(string path, double decodedDuration)
    {
        string fallback = Path.GetFileNameWithoutExtension(path);
        try
        {
            using var file = TagLib.File.Create(path);
            var t = file.Tag;
            double d = file.Properties?.Duration.TotalSeconds ?? 0;
            return new TrackMetadata(
                Clean(t.Title) ?? fallback,
                Clean(t.JoinedPerformers) ?? Clean(t.JoinedAlbumArtists),
                Clean(t.Album),
                Clean(t.JoinedGenres),
                decodedDuration > 0 ? decodedDuration : d);
        }
        catch (Exception e) when (e is TagLib.UnsupportedFormatException or TagLib.CorruptFileException or IOException or NotImplementedException or ArgumentException)
        {
            return new TrackMetadata(fallback, null, null, null, decodedDuration);
        }
    }

    static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
