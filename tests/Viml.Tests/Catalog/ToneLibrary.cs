namespace Viml.Tests.Catalog;

/// <summary>
/// The small music library that catalog, job and web tests add: three tracks, each a different sound, length
/// and container, so that a catalog made from it has tracks of one and of two segments and every decoder path
/// is used.
/// </summary>
static class ToneLibrary
{
    /// <summary>Tracks in the library.</summary>
    public const int Tracks = 3;

    /// <summary>Segments they give: 23 s gives two (the 3-s tail is dropped), 12 s and 9 s one each.</summary>
    public const int Segments = 2 + 1 + 1;

    /// <summary>Writes a.mp3 (440 Hz, 23 s, titled "A"), b.ogg (pink noise, 12 s) and c.flac (180 Hz, 9 s)
    /// into <paramref name="folder"/>, created when absent; returns the folder's full path.</summary>
    public static string Write(string folder)
    {
        string lib = Directory.CreateDirectory(folder).FullName;
        TestParts.Tone(Path.Combine(lib, "a.mp3"), 440, 23, title: "A");
        TestParts.Tone(Path.Combine(lib, "b.ogg"), 0, 12);
        TestParts.Tone(Path.Combine(lib, "c.flac"), 180, 9);
        return lib;
    }
}
