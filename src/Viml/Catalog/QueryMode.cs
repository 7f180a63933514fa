namespace Viml.Catalog;

/// <summary>
/// How a query was answered, in the words <c>recommend</c> and the web API both use: <c>video + text</c>,
/// <c>video only</c> or <c>text only</c> through the trained model; with "more like this" or without a model,
/// what steered it: <c>words</c>, <c>like 12</c>, <c>words + like 12</c>, prefixed <c>no model: </c> without one.
/// </summary>
public static class QueryMode
{
    public static string Of(QueryEmbedding query, bool wordsOnly, string? text, string? like)
    {
        if (wordsOnly || like is not null)
        {
            var parts = new[] { string.IsNullOrWhiteSpace(text) ? null : "words", like is null ? null : $"like {like}" };
            return (wordsOnly ? "no model: " : "") + string.Join(" + ", parts.Where(x => x != null));
        }
        return query.VideoSegments == 0 ? "text only" : query.TextUsed ? "video + text" : "video only";
    }
}
