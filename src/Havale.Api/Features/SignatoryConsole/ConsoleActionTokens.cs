using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>
/// What one confirmation page allows: this sign-in, this person, this order, this action, on the rows and total the
/// page showed. <see cref="TrackId"/> is fresh per page; it is the call log's key, so the action runs at most once.
/// </summary>
public sealed record ActionTicket(string SessionId, string Nid, string Deposit, long OrderId, ConsoleAction Action, int RowCount, long TotalRials,
    string TrackId)
{
    /// <summary>What the call log compares a repeat against.</summary>
    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this)));
}

/// <summary>
/// The one-time action token in a confirmation form: the ticket, encrypted and signed with the gateway's Data
/// Protection keys (the ones the consent page's cookies use), so a person can neither read nor alter it.
/// </summary>
public sealed class ConsoleActionTokens(IDataProtectionProvider provider)
{
    public const string FormField = "actionToken";
    private const string TrackIdPrefix = "console-";
    private const int TrackIdRandomBytes = 16;

    private readonly IDataProtector _protector = provider.CreateProtector("Havale.Console.ActionToken.v1");

    public static string NewTrackId() => TrackIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(TrackIdRandomBytes));

    public string Issue(ActionTicket ticket) => _protector.Protect(JsonSerializer.Serialize(ticket));

    /// <summary>The ticket, or null for anything that is not a token this gateway issued.</summary>
    public ActionTicket? Read(string? token)
    {
        if (token is not { Length: > 0 and <= ConsoleLimits.ActionTokenCharsMax })
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ActionTicket>(_protector.Unprotect(token));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
