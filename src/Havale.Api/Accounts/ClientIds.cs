namespace Havale.Api.Accounts;

/// <summary>What a client id may look like: it travels in paths, tokens and logs.</summary>
public static class ClientIds
{
    public const string Rule = "must be 1 to 64 characters of letters, digits, '-', '_' and '.'";

    public static bool IsValid(string? clientId)
        => clientId is { Length: > 0 and <= Limits.ClientIdCharsMax }
           && clientId.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.');
}
