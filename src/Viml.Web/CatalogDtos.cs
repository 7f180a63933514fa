namespace Viml.Web;

/// <summary>One track of <c>GET /api/tracks</c>.</summary>
public sealed record TrackDto(long Id, string Title, string? Artist, string? Album, string? Genre, double Duration, int Segments);

/// <summary>The answer of <c>GET /api/catalog</c>.</summary>
public sealed record CatalogDto(int Tracks, int Segments, string Index, string Model);
