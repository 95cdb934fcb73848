namespace Havale.Client;

/// <summary>Finnotech's trackId: at most 40 letters, digits and dashes (spec §1). The client makes a UUID when the caller gives none.</summary>
public static class TrackIds
{
    public const int LengthMax = 40;

    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>The caller's trackId, checked, or a new one.</summary>
    public static string OrNew(string? trackId)
    {
        if (trackId is null)
        {
            return New();
        }
        if (trackId.Length is 0 or > LengthMax || !trackId.All(character => char.IsAsciiLetterOrDigit(character) || character == '-'))
        {
            throw new ArgumentException($"a trackId is 1 to {LengthMax} ASCII letters, digits and dashes", nameof(trackId));
        }
        return trackId;
    }
}
