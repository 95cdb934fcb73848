using Havale.Api.Accounts;
using Havale.Api.Rails;

namespace Havale.Api.Features.Inquiry;

/// <summary>
/// Who holds an IBAN: a host-bank IBAN is one of our deposits (its owners from our books); any other is asked of the
/// bank that keeps it, through the interbank network.
/// </summary>
public sealed class IbanLookup(HavaleDb db, IInterbankNetwork network)
{
    public async Task<LookedUpIban> LookUpAsync(Iban iban, CancellationToken cancellationToken)
    {
        if (!iban.IsHostBank)
        {
            return await network.LookUpAsync(iban, cancellationToken);
        }
        if (iban.HostDeposit is not { } deposit)
        {
            return new LookedUpIban(LookupOutcome.NotFound);
        }
        var status = await db.Deposits.Where(row => row.Number == deposit.Value).Select(row => (AccountStatus?)row.Status)
            .SingleOrDefaultAsync(cancellationToken);
        if (status is null)
        {
            return new LookedUpIban(LookupOutcome.NotFound);
        }
        var owners = await db.DepositMembers.Where(member => member.DepositNumber == deposit.Value && member.IsOwner)
            .Join(db.Customers, member => member.Nid, customer => customer.Nid,
                (member, customer) => new AccountOwner(customer.FirstName, customer.LastName))
            .ToListAsync(cancellationToken);
        return new LookedUpIban(LookupOutcome.Found, status, owners);
    }
}
