using System.Text.Json.Serialization;
using Havale.Api.Accounts;
using Havale.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

public sealed record ActiveDepositsResult([property: JsonPropertyName("deposits")] IReadOnlyList<ActiveDepositView> Deposits);

public sealed record ActiveDepositView(
    [property: JsonPropertyName("number")] string Number,
    [property: JsonPropertyName("iban")] string Iban,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("required_signatures")] int RequiredSignatures,
    [property: JsonPropertyName("is_owner")] bool IsOwner,
    [property: JsonPropertyName("is_signatory")] bool IsSignatory);

/// <summary>
/// Active deposits: those the token's person may act on, active, and for a code token only those the person ticked.
/// With <c>nationalCode</c>, only those that person also owns or signs for.
/// </summary>
public static class ActiveDeposits
{
    public static async Task<JsonHttpResult<SuccessEnvelope<ActiveDepositsResult>>> HandleAsync(HttpContext context, string? nationalCode, FinnotechGrant grant, HavaleDb db,
        CancellationToken cancellationToken)
    {
        string? alsoMember = null;
        if (nationalCode is not null)
        {
            alsoMember = NationalCode.TryParse(nationalCode, out var member, out var error) ? member.Value : throw ApiProblem.Field("nationalCode", error);
        }
        var person = grant.Nid.Value;
        var memberships = await (
                from member in db.DepositMembers.AsNoTracking()
                join deposit in db.Deposits.AsNoTracking() on member.DepositNumber equals deposit.Number
                where member.Nid == person && (member.IsOwner || member.IsSignatory) && deposit.Status == AccountStatus.Active
                orderby deposit.Number
                select new { member.DepositNumber, member.IsOwner, member.IsSignatory, deposit.RequiredSignatures })
            .ToListAsync(cancellationToken);
        var listed = memberships.Where(membership => grant.Type != FinnotechTokenType.Code || grant.HasDeposit(membership.DepositNumber)).ToList();
        if (alsoMember is not null)
        {
            var numbers = listed.Select(membership => membership.DepositNumber).ToList();
            var shared = await GrantRules.ActableDeposits(db, alsoMember).Where(number => numbers.Contains(number)).ToListAsync(cancellationToken);
            listed = listed.Where(membership => shared.Contains(membership.DepositNumber)).ToList();
        }
        return Envelopes.Ok(context, new ActiveDepositsResult(listed.Select(membership => new ActiveDepositView(
            membership.DepositNumber, DepositNumber.Parse(membership.DepositNumber).ToIban().Value, "active", membership.RequiredSignatures,
            membership.IsOwner, membership.IsSignatory)).ToList()));
    }
}
