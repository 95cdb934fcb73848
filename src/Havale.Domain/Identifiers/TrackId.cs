using System.Buffers;

namespace Havale.Domain;

/// <summary>
/// The caller's id for one call (at most 40 ASCII letters, digits and '-'). It keys
/// idempotency and inquiry, so it is taken exactly as sent: no trimming, no case folding.
/// </summary>
public readonly record struct TrackId
{
    public const int LengthMax = 40;

    private static readonly SearchValues<char> AllowedCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

    internal const string ShapeError = "must be 1 to 40 characters: letters, digits and '-'";

    private TrackId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, out TrackId trackId, out string error) =>
        Parsing.TryParse(text, FindProblem, static valid => new TrackId(valid), out trackId, out error);

    public static TrackId Parse(string text) =>
        TryParse(text, out var trackId, out var error) ? trackId : throw new FormatException(error);

    /// <summary>For reads that arrive without a trackId: the server makes one and echoes it.</summary>
    public static TrackId NewUuid() => new(Guid.NewGuid().ToString("D"));

    public override string ToString() => Value;

    private static string? FindProblem(string text) =>
        text.Length > LengthMax || text.AsSpan().ContainsAnyExcept(AllowedCharacters) ? ShapeError : null;
}
