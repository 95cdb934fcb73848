using System.Security.Claims;
using System.Text.Json;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OpenIddict.Abstractions;

namespace Havale.Api.Auth;

/// <summary>How the token was obtained, as Finnotech names it in <c>type</c>.</summary>
public enum FinnotechTokenType
{
    /// <summary>Authorization code: a customer consented on the page (or the sandbox shortcut stood in for it).</summary>
    Code,
    /// <summary>Client credentials on behalf of a person registered on the client.</summary>
    ClientCredential,
}

public static class FinnotechTokenTypes
{
    public static string WireName(this FinnotechTokenType type) => type switch
    {
        FinnotechTokenType.Code => "CODE",
        FinnotechTokenType.ClientCredential => "CLIENT-CREDENTIAL",
    };

    public static bool TryParse(string? text, out FinnotechTokenType type)
    {
        (var isKnown, type) = text switch
        {
            "CODE" => (true, FinnotechTokenType.Code),
            "CLIENT-CREDENTIAL" => (true, FinnotechTokenType.ClientCredential),
            _ => (false, FinnotechTokenType.Code),
        };
        return isKnown;
    }
}

/// <summary>
/// What a token allows: whose client, on behalf of which person, which deposits (for a code token), how much per
/// transaction and which scopes. Handlers receive it as a parameter on every protected endpoint; it is read from a
/// token the gateway validated, never from the request. The person and the deposits are domain values, parsed once
/// when the token is read, so no handler parses them again. <see cref="MonthlyCalls"/> is null for a token without
/// Finnotech's <c>monthlyCallLimitation</c> (client credentials, or a consent that named no <c>count</c>).
/// </summary>
public sealed record FinnotechGrant(
    string ClientId,
    NationalCode Nid,
    IReadOnlyList<DepositNumber> Deposits,
    long MaxAmountPerTransactionRials,
    FinnotechTokenType Type,
    IReadOnlyList<string> Scopes,
    string Bank,
    MonthlyCallLimit? MonthlyCalls = null)
{
    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>Whether the customer ticked this deposit when consenting (a client-credential token ticks none).</summary>
    public bool HasDeposit(DepositNumber deposit) => Deposits.Contains(deposit);

    /// <summary>The same for a deposit as stored or routed; text that is no deposit number is no granted deposit.</summary>
    public bool HasDeposit(string deposit) => DepositNumber.TryParse(deposit, out var number, out _) && HasDeposit(number);

    /// <summary>
    /// Deposits <see cref="GrantRules.CheckDepositsAsync"/> found the person may act on: each is a stored deposit
    /// number, so each parses, and one that did not would be a broken invariant, not bad input.
    /// </summary>
    public static IReadOnlyList<DepositNumber> CheckedDeposits(IReadOnlyList<string> actable) => actable.Select(DepositNumber.Parse).ToList();

    /// <summary>Minimal APIs bind a parameter of this type from the request's validated grant.</summary>
    public static ValueTask<FinnotechGrant?> BindAsync(HttpContext context)
        => ValueTask.FromResult<FinnotechGrant?>(context.Features.Get<FinnotechGrant>()
            ?? throw new InvalidOperationException("This endpoint takes a FinnotechGrant but declares no RequireFinnotechScope()."));
}

/// <summary>The claims of a Havale token, named as Finnotech's tokens name them (clients decode the payload).</summary>
public static class FinnotechClaims
{
    public const string ClientId = "clientId";
    public const string UserId = "userId";
    public const string Scopes = "scopes";
    public const string Deposits = "deposits";
    public const string MaxAmountPerTransaction = "maxAmountPerTransaction";
    public const string Type = "type";
    public const string Bank = "bank";
    public const string LifeTime = "lifeTime";
    public const string CreationDate = "creationDate";
    /// <summary>Finnotech's name for the calls a month the customer granted (the consent's <c>count</c>).</summary>
    public const string MonthlyCallLimitation = "monthlyCallLimitation";
    /// <summary>Havale's own: the consent the monthly count belongs to, the same for every token refreshed from it.</summary>
    public const string GrantId = "grantId";

    /// <summary>The value type IdentityModel and OpenIddict give a claim that holds a JSON array.</summary>
    private const string JsonArrayValueType = "JSON_ARRAY";

    /// <summary>
    /// The principal OpenIddict turns into tokens. Every Finnotech claim goes into the access token (clients read it);
    /// the authorization code and refresh token carry the whole principal anyway, so a refresh rebuilds the same grant.
    /// </summary>
    public static ClaimsPrincipal ToPrincipal(this FinnotechGrant grant, DateTimeOffset issuedUtc, TimeSpan accessTokenLifetime)
    {
        var identity = new ClaimsIdentity("Havale", Claims.Name, Claims.Role);
        var principal = new ClaimsPrincipal(identity);
        principal.SetClaim(Claims.Subject, grant.Nid.Value);
        principal.SetClaim(ClientId, grant.ClientId);
        principal.SetClaim(UserId, grant.Nid.Value);
        // Written as JSON arrays, empty ones included (a client-credential token grants "deposits": []); OpenIddict's
        // JsonElement overload refuses an empty array, so the claim is made by hand with the same value type.
        identity.AddClaim(new Claim(Scopes, JsonSerializer.Serialize(grant.Scopes), JsonArrayValueType));
        identity.AddClaim(new Claim(Deposits, JsonSerializer.Serialize(grant.Deposits.Select(deposit => deposit.Value)), JsonArrayValueType));
        principal.SetClaim(MaxAmountPerTransaction, grant.MaxAmountPerTransactionRials);
        principal.SetClaim(Type, grant.Type.WireName());
        principal.SetClaim(Bank, grant.Bank);
        principal.SetClaim(LifeTime, (long)accessTokenLifetime.TotalMilliseconds);
        principal.SetClaim(CreationDate, Jalali.KilidDateTime(issuedUtc));
        if (grant.MonthlyCalls is { } monthly)
        {
            principal.SetClaim(MonthlyCallLimitation, (long)monthly.CallsPerMonthMax);
            principal.SetClaim(GrantId, monthly.GrantId.ToString("N"));
        }
        principal.SetScopes(grant.Scopes);
        principal.SetAccessTokenLifetime(accessTokenLifetime);
        principal.SetDestinations(_ => [Destinations.AccessToken]);
        return principal;
    }

    /// <summary>
    /// Reads a grant back from a validated token's principal; null when the token is not one of Havale's. Havale
    /// writes only valid national codes and deposit numbers into its tokens, so one that does not parse is not its.
    /// </summary>
    public static FinnotechGrant? ToGrant(this ClaimsPrincipal principal)
    {
        var clientId = principal.GetClaim(ClientId);
        var bank = principal.GetClaim(Bank);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(bank)
            || !NationalCode.TryParse(principal.GetClaim(UserId), out var nid, out _)
            || !TryReadDeposits(principal, out var deposits)
            || !FinnotechTokenTypes.TryParse(principal.GetClaim(Type), out var type)
            || !long.TryParse(principal.GetClaim(MaxAmountPerTransaction), out var amountRialsMax))
        {
            return null;
        }
        if (!TryReadMonthlyCalls(principal, out var monthlyCalls))
        {
            return null;
        }
        return new FinnotechGrant(clientId, nid, deposits, amountRialsMax, type, ReadList(principal, Scopes), bank, monthlyCalls);
    }

    /// <summary>Both claims or neither: a limit without the consent it counts under (or the reverse) is not a token Havale issued.</summary>
    private static bool TryReadMonthlyCalls(ClaimsPrincipal principal, out MonthlyCallLimit? monthlyCalls)
    {
        monthlyCalls = null;
        var limitText = principal.GetClaim(MonthlyCallLimitation);
        var grantIdText = principal.GetClaim(GrantId);
        if (limitText is null && grantIdText is null)
        {
            return true;
        }
        if (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var callsMax)
            || callsMax is < 1 or > MonthlyCallLimit.CallsPerMonthMaxAllowed
            || !Guid.TryParseExact(grantIdText, "N", out var grantId))
        {
            return false;
        }
        monthlyCalls = new MonthlyCallLimit(grantId, callsMax);
        return true;
    }

    private static bool TryReadDeposits(ClaimsPrincipal principal, out List<DepositNumber> deposits)
    {
        var texts = ReadList(principal, Deposits);
        deposits = new List<DepositNumber>(texts.Count);
        foreach (var text in texts)
        {
            if (!DepositNumber.TryParse(text, out var deposit, out _))
            {
                return false;
            }
            deposits.Add(deposit);
        }
        return true;
    }

    /// <summary>
    /// A list claim arrives either as one claim holding a JSON array (as it was written) or, after a JWT was parsed,
    /// as one claim per element; both mean the same list.
    /// </summary>
    private static List<string> ReadList(ClaimsPrincipal principal, string type)
    {
        var values = new List<string>();
        foreach (var claim in principal.FindAll(type))
        {
            if (claim.ValueType == JsonArrayValueType)
            {
                values.AddRange(JsonSerializer.Deserialize<List<string>>(claim.Value) ?? []);
            }
            else
            {
                values.Add(claim.Value);
            }
        }
        return values;
    }
}
