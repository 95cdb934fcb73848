using Havale.Api.Accounts;

namespace Havale.Api.Auth;

/// <summary>
/// The rules a grant must keep, whoever asks for it: the consent page, the sandbox shortcut or client credentials.
/// Each check answers null when the rule holds, or the reason, written for the developer who asked.
/// </summary>
public static class GrantRules
{
    /// <summary>Finnotech's words, to the letter, for a payment above the token's per-transaction limit (Pol and Kilid alike).</summary>
    public const string TokenLimitMessage = "Max amount per transaction limitation exceeded";

    public static string? CheckScopes(ApiClient client, IReadOnlyList<string> scopes, bool isConsent)
    {
        if (scopes.Count == 0)
        {
            return "scopes: at least one scope is required";
        }
        if (scopes.FirstOrDefault(scope => !Scopes.All.Contains(scope)) is { } unknown)
        {
            return $"scopes: '{unknown}' is not a scope Havale knows";
        }
        if (scopes.FirstOrDefault(scope => !client.Scopes.Contains(scope)) is { } notAllowed)
        {
            return $"scopes: '{notAllowed}' is not registered for client {client.ClientId}";
        }
        if (isConsent && scopes.Any(Scopes.IsKilid) && !scopes.All(Scopes.IsKilid))
        {
            return "scopes: kilid scopes may not be requested together with other scopes in one consent";
        }
        return null;
    }

    public static string? CheckLimit(ApiClient client, long? limitRials)
    {
        if (limitRials is not { } limit)
        {
            return "limit: is required (the maximum amount per transaction, in rials)";
        }
        if (limit <= 0)
        {
            return "limit: must be a positive number of rials";
        }
        if (limit > client.MaxAmountPerTransactionRials)
        {
            return $"limit: {limit} is above the {client.MaxAmountPerTransactionRials} rials registered for client {client.ClientId}";
        }
        return null;
    }

    /// <summary>
    /// Finnotech's <c>count</c>: absent (null) grants no monthly limit, as tokens had before Havale enforced it;
    /// otherwise 1 to <see cref="AuthLimits.MonthlyCallsMax"/> calls a month.
    /// </summary>
    public static string? CheckCount(string? text, out int? callsPerMonth)
    {
        callsPerMonth = null;
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
            || count is < 1 or > AuthLimits.MonthlyCallsMax)
        {
            return $"count: must be a whole number of calls a month from 1 to {AuthLimits.MonthlyCallsMax}";
        }
        callsPerMonth = count;
        return null;
    }

    /// <summary>Deposits the person may act on: those they own or sign for.</summary>
    public static IQueryable<string> ActableDeposits(HavaleDb db, string nid)
        => db.DepositMembers.Where(member => member.Nid == nid && (member.IsOwner || member.IsSignatory)).Select(member => member.DepositNumber);

    /// <summary>Every requested deposit is one the person may act on; checked in one query.</summary>
    public static async Task<string?> CheckDepositsAsync(HavaleDb db, string nid, IReadOnlyList<string> deposits, CancellationToken cancellationToken)
    {
        if (deposits.Count == 0)
        {
            return "deposits: at least one deposit is required";
        }
        if (deposits.Count > AuthLimits.DepositsPerGrantMax)
        {
            return $"deposits: at most {AuthLimits.DepositsPerGrantMax} deposits per grant";
        }
        var actable = await ActableDeposits(db, nid).Where(deposit => deposits.Contains(deposit)).ToListAsync(cancellationToken);
        // Unknown deposits and other people's deposits get the same answer: a caller learns nothing about either.
        return deposits.FirstOrDefault(deposit => !actable.Contains(deposit)) is { } refused
            ? $"deposits: {refused} is not a deposit this person may act on"
            : null;
    }
}
