using Havale.Api.Ledger;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Rails;

/// <summary>Recovery: every open hold that is due is asked about again and resolved once.</summary>
public sealed partial class PaymentRails
{
    /// <summary>
    /// Asks about every open hold that is due: Pol holds whose answer never came (after a timeout or a crash) and Paya
    /// holds whose cycle has come. Runs at start (recovery), after each sandbox clock or bank change, and periodically.
    /// </summary>
    public async Task<int> ResolveDueAsync(CancellationToken cancellationToken)
    {
        // A Paya batch is one request per bank and one ledger transaction: larger batches, fewer commits per cycle.
        const int BatchSize = 2_000;
        const int BatchesPerRunMax = 1_000;
        var resolved = 0;
        var afterId = 0L;
        for (var batch = 0; batch < BatchesPerRunMax; batch++)
        {
            var now = _clock.GetUtcNow();
            List<LedgerTransfer> due;
            await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
            {
                due = await db.LedgerTransfers.AsNoTracking()
                    .Where(transfer => transfer.Kind == TransferKind.Pending && transfer.Id > afterId
                        && (transfer.Rail == RailKind.Pol || (transfer.Rail == RailKind.Paya && transfer.DueUtc <= now))
                        && !db.LedgerTransfers.Any(resolution => resolution.PendingId == transfer.Id))
                    .OrderBy(transfer => transfer.Id)
                    .Take(BatchSize)
                    .ToListAsync(cancellationToken);
            }
            if (due.Count == 0)
            {
                break;
            }
            afterId = due[^1].Id;
            resolved += await SettlePayaAsync(due.Where(hold => hold.Rail == RailKind.Paya).ToList(), cancellationToken);
            foreach (var hold in due.Where(hold => hold.Rail == RailKind.Pol && !_inFlight.Contains(hold.Id)))
            {
                var destination = Iban.Parse(hold.Counterparty!);
                var answer = await _network.AskAsync(new InterbankPayment(hold.Rail, hold.Reference!, destination, Rials.FromTrusted(hold.AmountRials)),
                    cancellationToken);
                if (await ResolvePolHoldAsync(hold, destination, answer, cancellationToken))
                {
                    resolved++;
                }
            }
        }
        return resolved;
    }
}
