using System.Security.Claims;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>
/// Who is signed in to the console: a cookie holding the national code and a random id of this sign-in. The id ties
/// antiforgery and action tokens to one sign-in, so a form from an earlier session is refused.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "HavaleConsole";
    public const string Policy = "console";
    public const string CookieName = "havale.console";
    public const string NidClaim = "nid";
    public const string SessionIdClaim = "console_session";

    /// <summary>
    /// The caller the console's actions are recorded under, in the call log and on ledger transfers. '@' is not allowed
    /// in a client id (Accounts.ClientIds), so no client's trackIds can ever meet the console's.
    /// </summary>
    public const string CallerId = "@console";

    public static ClaimsPrincipal Create(string nid)
        => new(new ClaimsIdentity(
            [new Claim(NidClaim, nid), new Claim(SessionIdClaim, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)))],
            Scheme, NidClaim, null));

    /// <summary>The signed-in person; the authorization policy has already required both claims.</summary>
    public static (NationalCode Nid, string SessionId) Person(this ClaimsPrincipal user)
        => (NationalCode.Parse(user.FindFirstValue(NidClaim)!), user.FindFirstValue(SessionIdClaim)!);
}
