using System.Diagnostics;
using Havale.Api.CallLog;
using Havale.Api.Ledger;

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
            HashSet<(string ClientId, string TrackId)> othersRunning;
            await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
            {
                due = await HoldStates.OpenHolds(db).AsNoTracking()
                    .Where(transfer => transfer.Id > afterId
                        && (transfer.Rail == RailKind.Pol || (transfer.Rail == RailKind.Paya && transfer.DueUtc <= now)))
                    .OrderBy(transfer => transfer.Id)
                    .Take(BatchSize)
                    .ToListAsync(cancellationToken);
                othersRunning = await PolHoldsOthersRunAsync(db, due, cancellationToken);
            }
            if (due.Count == 0)
            {
                break;
            }
            afterId = due[^1].Id;
            resolved += await SettlePayaAsync(due.Where(hold => hold.Rail == RailKind.Paya).ToList(), cancellationToken);
            foreach (var hold in due.Where(hold => hold.Rail == RailKind.Pol && !_inFlight.Contains(hold.Id)
                && !othersRunning.Contains((hold.ClientId ?? "", hold.TrackId ?? ""))))
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

    /// <summary>
    /// The Pol holds among <paramref name="due"/> whose call another live node is running right now: that node waits on
    /// the bank's answer, and asking the bank from here could void a payment still on its way. A call stops being in
    /// progress when its node answers (a 408 once the bank's answer deadline passed, and recovery may then take it) or
    /// when its node is gone (its calls are marked interrupted by its restart or by the others' heartbeat pass).
    /// </summary>
    private async Task<HashSet<(string ClientId, string TrackId)>> PolHoldsOthersRunAsync(HavaleDb db, List<LedgerTransfer> due,
        CancellationToken cancellationToken)
    {
        var trackIds = due.Where(hold => hold.Rail == RailKind.Pol && hold.TrackId is not null && hold.ClientId is not null)
            .Select(hold => hold.TrackId!).Distinct().ToList();
        if (trackIds.Count == 0)
        {
            return [];
        }
        var live = await _nodes.LiveIdsAsync(db, cancellationToken);
        live.Remove(_nodes.Id);
        if (live.Count == 0)
        {
            return [];
        }
        var running = await db.CallRecords.AsNoTracking()
            .Where(call => call.State == CallState.InProgress && trackIds.Contains(call.TrackId) && call.NodeId != null && live.Contains(call.NodeId))
            .Select(call => new { call.ClientId, call.TrackId })
            .ToListAsync(cancellationToken);
        return running.Select(call => (call.ClientId, call.TrackId)).ToHashSet();
    }

    /// <summary>
    /// Where the Pol hold of an interrupted call stands, after up to <paramref name="wait"/> for it to be resolved;
    /// null when the call held no money. The call's node is gone (that is what interrupted means), so nobody else waits
    /// on this hold's answer: the bank is asked here and now rather than at the resolver's next pass.
    /// </summary>
    public async Task<PolHoldStanding?> AwaitInterruptedPolHoldAsync(string clientId, string trackId, TimeSpan wait, CancellationToken cancellationToken)
    {
        // The bank is asked at most this often while the wait lasts; between asks the ledger is read (another retry or
        // the resolver may resolve the hold first).
        var askInterval = TimeSpan.FromMilliseconds(500);
        var readInterval = TimeSpan.FromMilliseconds(50);
        var waited = Stopwatch.StartNew();
        LedgerTransfer? hold;
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
        {
            hold = await db.LedgerTransfers.AsNoTracking()
                .Where(transfer => transfer.ClientId == clientId && transfer.TrackId == trackId && transfer.Kind == TransferKind.Pending
                    && transfer.Rail == RailKind.Pol)
                .OrderBy(transfer => transfer.Id)
                .FirstOrDefaultAsync(cancellationToken);
        }
        if (hold is null)
        {
            return null;
        }
        TimeSpan? lastAsked = null;
        while (true)
        {
            LedgerTransfer? resolution;
            await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
            {
                resolution = await db.LedgerTransfers.AsNoTracking().SingleOrDefaultAsync(transfer => transfer.PendingId == hold.Id, cancellationToken);
            }
            var state = HoldStates.Of(resolution?.Kind);
            var left = wait - waited.Elapsed;
            if (state != HoldState.Open || left <= TimeSpan.Zero)
            {
                return new PolHoldStanding(hold, state, resolution?.Note);
            }
            if (lastAsked is not { } asked || waited.Elapsed - asked >= askInterval)
            {
                lastAsked = waited.Elapsed;
                await AskAboutPolHoldAsync(hold, left, cancellationToken);
                continue;
            }
            await Task.Delay(readInterval < left ? readInterval : left, cancellationToken);
        }
    }

    /// <summary>Asks the bank about one Pol hold and resolves it if the bank has answered, within <paramref name="limit"/>.</summary>
    private async Task AskAboutPolHoldAsync(LedgerTransfer hold, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        var destination = Iban.Parse(hold.Counterparty!);
        try
        {
            var answer = await _network.AskAsync(new InterbankPayment(hold.Rail, hold.Reference!, destination, Rials.FromTrusted(hold.AmountRials)),
                timeout.Token);
            await ResolvePolHoldAsync(hold, destination, answer, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The bank took longer than the wait has left: the hold stays open, and the caller is told so.
        }
    }
}

/// <summary>A Pol hold as an interrupted call finds it: open, posted, or voided with the reason on its void.</summary>
public sealed record PolHoldStanding(LedgerTransfer Hold, HoldState State, string? VoidNote);
