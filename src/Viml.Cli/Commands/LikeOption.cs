using Viml.Catalog;
using Viml.Encoders;

namespace Viml.Cli.Commands;

/// <summary>Reads <c>--like</c> (a track id or an audio file) and the knobs into a <see cref="Steering"/>.</summary>
static class LikeOption
{
    public static Steering Steering(string? like, double? textWeight, bool allKinds, CancellationToken ct)
    {
        long? track = null;
        float[]? features = null;
        if (like is not null)
        {
            if (long.TryParse(like, out long id) && !File.Exists(like)) track = id;
            else if (File.Exists(like))
            {
                using var music = new MusicnnEncoder();
                features = LikeFile.Features(music, like, ct);
            }
            else throw new InvalidInputException($"--like {like}: neither a track id nor an audio file");
        }
        var s = new Steering(textWeight, track, features, allKinds);
        s.Validate();
        return s;
    }
}
