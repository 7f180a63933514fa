using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Viml.Web;

/// <summary>Optional numbers of a form: null when a field is absent or empty, an error naming the field when it is
/// not a number.</summary>
static class FormValues
{
    public static int? Int(IFormCollection form, string key) =>
        form[key].FirstOrDefault() is { Length: > 0 } s
            ? int.TryParse(s, out var v) ? v : throw new InvalidInputException($"{key}: '{s}' is not a whole number")
            : null;

    public static long? TrackId(IFormCollection form, string key) =>
        form[key].FirstOrDefault() is { Length: > 0 } s
            ? long.TryParse(s, out var v) ? v : throw new InvalidInputException($"{key}: '{s}' is not a track id")
            : null;

    public static double? Number(IFormCollection form, string key) =>
        form[key].FirstOrDefault() is { Length: > 0 } s
            ? double.TryParse(s, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new InvalidInputException($"{key}: '{s}' is not a number")
            : null;
}
