using System.Text.Json;
using Havale.Api.Accounts;
using Havale.Api.Auth;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>The draft's rules that need the deposit and its people, run after the body parsed (<see cref="OrderDraftParsing"/>).</summary>
public static class OrderDraftChecks
{
    /// <summary>
    /// The rules that need the deposit: internal destinations exist and are active, ceremonies name only the
    /// deposit's signatories and at least its required number, and the actor owns the deposit.
    /// </summary>
    public static async Task<DraftRefusal?> CheckAgainstDepositAsync(HavaleDb db, ValidDraft draft, Deposit deposit, FinnotechGrant grant,
        CancellationToken cancellationToken)
    {
        if (draft.Rows is { } rows)
        {
            var internalDeposits = rows.Where(row => row.Account.Deposit is not null).Select(row => row.Account.Deposit!.Value.Value).Distinct().ToList();
            var active = await db.Deposits.Where(known => internalDeposits.Contains(known.Number) && known.Status == AccountStatus.Active)
                .Select(known => known.Number).ToListAsync(cancellationToken);
            if (rows.FirstOrDefault(row => row.Account.Deposit is { } destination && !active.Contains(destination.Value)) is { } unknown)
            {
                // An unknown deposit and an inactive one get the seed's one answer: "invalid destination deposit".
                return new DraftRefusal(OrderRefusal.InvalidDestinationNumber, "no active deposit with this number", unknown.Sent);
            }
        }
        if (draft.Ceremonies is { } ceremonies)
        {
            var signatories = deposit.Members.Where(member => member.IsSignatory).Select(member => member.Nid).ToHashSet(StringComparer.Ordinal);
            if (ceremonies.FirstOrDefault(ceremony => !signatories.Contains(ceremony.Nid.Value)) is { } stranger)
            {
                return new DraftRefusal(OrderRefusal.CeremonyNotSignatory, "ceremonies may name only the deposit's signatories", stranger.Sent);
            }
            if (ceremonies.Count < deposit.RequiredSignatures)
            {
                return new DraftRefusal(OrderRefusal.TooFewCeremonySignatories,
                    $"this deposit needs {deposit.RequiredSignatures} signatures, so ceremonies must name at least {deposit.RequiredSignatures} signatories", null);
            }
        }
        return CheckActor(draft.Actor, deposit, grant);
    }

    /// <summary>Who creates, edits or deletes an order: an owner of the deposit, and with a code token the person who consented.</summary>
    public static DraftRefusal? CheckActor(NationalCode actor, Deposit deposit, FinnotechGrant grant)
    {
        var sent = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["nationalCode"] = actor.Value });
        if (grant.Type == FinnotechTokenType.Code && actor != grant.Nid)
        {
            return new DraftRefusal(OrderRefusal.CreatorNotTokenPerson, "with an authorization-code token, nationalCode is the person who granted it", sent);
        }
        if (!deposit.Members.Any(member => member.Nid == actor.Value && member.IsOwner))
        {
            return new DraftRefusal(OrderRefusal.CreatorNotOwner, "nationalCode is not an owner of this deposit", sent);
        }
        if (deposit.Status != AccountStatus.Active)
        {
            return new DraftRefusal(OrderRefusal.SourceNotActive, "the order's deposit is not active", null);
        }
        return null;
    }
}
