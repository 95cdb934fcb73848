using System.Collections.Concurrent;
using System.Security.Cryptography;
using Havale.Api.Accounts;
using Havale.Api.Features.InstantPayment;
using Havale.Api.Ledger;
using Havale.Api.Rails.Pol;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Rails;

/// <summary>Every way a payment on a rail can end, in the order the rules are checked.</summary>
public enum RailOutcome
{
    /// <summary>Internal: posted. Pol: the destination bank credited its customer. Paya: held for the next cycle.</summary>
    Done,
    SourceNotFound,
    SourceNotActive,
    DestinationNotFound,
    DestinationNotActive,
    RailClosed,
    BankNotOnRail,
    /// <summary>Pol: the sender's amount for the Tehran day would pass its cap.</summary>
    DailyAmountExceeded,
    /// <summary>Pol: the sender's count of payments to this IBAN for the Tehran day would pass its cap.</summary>
    DailyBeneficiaryCountExceeded,
    InsufficientFunds,
    /// <summary>The call that asked for this payment was made before under its trackId; the rail did nothing.</summary>
    AlreadyCalled,
    /// <summary>The destination bank refused the payment (reason given); the hold was voided, no money moved.</summary>
    Rejected,
    /// <summary>The destination bank could not be reached at all; the hold was voided, no money moved.</summary>
    Unavailable,
    /// <summary>No answer in time: the money stays held until the bank answers (ask again by reference).</summary>
    Unknown,
}

public sealed record RailResult(RailOutcome Outcome, string? Reference = null, long? TransferId = null, string? Reason = null,
    DateTimeOffset? SettlesUtc = null);

/// <summary>Holds whose rail call is running in this process right now; recovery leaves them alone.</summary>
public sealed class InFlightHolds
{
    private readonly ConcurrentDictionary<long, byte> _ids = new();

    public void Add(long holdId) => _ids.TryAdd(holdId, 0);

    public void Remove(long holdId) => _ids.TryRemove(holdId, out _);

    public bool Contains(long holdId) => _ids.ContainsKey(holdId);
}

/// <summary>
/// The three ways money leaves a deposit: internal transfer (posted at once), Pol (held, the destination bank asked,
/// then posted or voided) and Paya (held now, settled in the next cycle). Features call these; none of them touches
/// a balance itself.
/// </summary>
public sealed partial class PaymentRails(
    IDbContextFactory<HavaleDb> dbFactory,
    LedgerBook book,
    LedgerAccounts accounts,
    IInterbankNetwork network,
    InFlightHolds inFlight,
    TimeProvider clock,
    RailOptions options,
    PolWriter polWriter,
    PolOptions polOptions,
    ILogger<PaymentRails> logger)
{
    private readonly PolHours _polHours = options.BuildPolHours();
    private readonly RailOptions _options = options;
    private readonly IDbContextFactory<HavaleDb> _dbFactory = dbFactory;
    private readonly LedgerAccounts _accounts = accounts;
    private readonly IInterbankNetwork _network = network;
    private readonly InFlightHolds _inFlight = inFlight;
    private readonly TimeProvider _clock = clock;
    private readonly PolWriter _polWriter = polWriter;
    private readonly PolOptions _polOptions = polOptions;
    private readonly ILogger<PaymentRails> _logger = logger;

    public PolHours PolHours => _polHours;

    /// <summary>Host deposit to host deposit, posted at once, inside the caller's transaction.</summary>
    public async Task<RailResult> TransferInternalAsync(HavaleDb db, DepositNumber source, DepositNumber destination, Rials amount,
        TransferOrigin origin, CancellationToken cancellationToken)
    {
        if (await SourceRefusalAsync(db, source, cancellationToken) is { } sourceRefusal)
        {
            return sourceRefusal;
        }
        if (await DepositStatusAsync(db, destination, cancellationToken) is not { } destinationStatus)
        {
            return new RailResult(RailOutcome.DestinationNotFound);
        }
        if (destinationStatus != AccountStatus.Active)
        {
            return new RailResult(RailOutcome.DestinationNotActive);
        }
        if (!InternalTransferHours.IsOpen(_clock.GetUtcNow()))
        {
            return new RailResult(RailOutcome.RailClosed, Reason: "internal transfers pause from 23:54 to 00:00 Tehran time");
        }
        var sourceId = await _accounts.IdAsync(db, AccountCodes.Deposit(source), cancellationToken);
        var destinationId = await _accounts.IdAsync(db, AccountCodes.Deposit(destination), cancellationToken);
        var reference = NewReference("IN");
        var result = await book.TransferAsync(db, sourceId, destinationId, amount,
            origin with { Rail = RailKind.Internal, Reference = reference, Counterparty = destination.Value }, cancellationToken);
        return result.Outcome switch
        {
            LedgerOutcome.Done => new RailResult(RailOutcome.Done, reference, result.Transfer!.Id),
            LedgerOutcome.InsufficientFunds => new RailResult(RailOutcome.InsufficientFunds),
            LedgerOutcome.HoldNotFound or LedgerOutcome.HoldAlreadyResolved =>
                throw new InvariantViolationException("invariant failed: a posted transfer has no hold"),
        };
    }

    /// <summary>Holds money for a Paya payment inside the caller's transaction; the next cycle settles it.</summary>
    public async Task<RailResult> HoldForPayaAsync(HavaleDb db, DepositNumber source, Iban destination, Rials amount, TransferOrigin origin,
        CancellationToken cancellationToken)
    {
        if (destination.IsHostBank || Banks.Find(destination.BankCode) is null)
        {
            return new RailResult(RailOutcome.BankNotOnRail);
        }
        if (await SourceRefusalAsync(db, source, cancellationToken) is { } sourceRefusal)
        {
            return sourceRefusal;
        }
        // The cycle comes back in Tehran's offset; stored in UTC, since PostgreSQL's timestamptz takes only UTC from Npgsql
        // and SQLite's binary DateTimeOffset orders by wall-_clock ticks, so "due before now" is only right when both are UTC.
        var settlesUtc = PayaCycles.NextSettlement(_clock.GetUtcNow()).ToUniversalTime();
        var reference = NewReference("PY");
        var sourceId = await _accounts.IdAsync(db, AccountCodes.Deposit(source), cancellationToken);
        var clearingId = await _accounts.IdAsync(db, AccountCodes.Clearing(RailKind.Paya), cancellationToken);
        var held = await book.HoldAsync(db, sourceId, clearingId, amount,
            origin with { Rail = RailKind.Paya, Reference = reference, Counterparty = destination.Value }, settlesUtc, cancellationToken);
        return held.IsDone
            ? new RailResult(RailOutcome.Done, reference, held.Transfer!.Id, SettlesUtc: settlesUtc)
            : new RailResult(RailOutcome.InsufficientFunds);
    }

    /// <summary>
    /// Asks about every open hold that is due: Pol holds whose answer never came (after a timeout or a crash) and Paya
    /// holds whose cycle has come. Runs at start (recovery), after each sandbox clock or bank change, and periodically.
    /// </summary>
    public async Task<int> ResolveDueAsync(CancellationToken cancellationToken)
    {
        const int BatchSize = 500;
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

    /// <summary>Money leaves only an existing, active deposit: the first check of every rail.</summary>
    private static async Task<RailResult?> SourceRefusalAsync(HavaleDb db, DepositNumber source, CancellationToken cancellationToken)
        => await DepositStatusAsync(db, source, cancellationToken) switch
        {
            null => new RailResult(RailOutcome.SourceNotFound),
            AccountStatus.Active => null,
            _ => new RailResult(RailOutcome.SourceNotActive),
        };

    private static async Task<AccountStatus?> DepositStatusAsync(HavaleDb db, DepositNumber deposit, CancellationToken cancellationToken)
    {
        var statuses = await db.Deposits.Where(row => row.Number == deposit.Value).Select(row => (AccountStatus?)row.Status)
            .ToListAsync(cancellationToken);
        return statuses.Count == 0 ? null : statuses[0];
    }

    internal static string? Truncate(string? text) => text is { Length: > 200 } ? text[..200] : text;

    /// <summary>
    /// A reference unique per payment, shaped like Pol's originKey (20 characters): a rail prefix, the Tehran date,
    /// and 12 random letters and digits (60 bits, so references do not collide at any volume this gateway sees).
    /// </summary>
    private string NewReference(string prefix)
    {
        const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Span<char> random = stackalloc char[12];
        for (var i = 0; i < random.Length; i++)
        {
            random[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return string.Concat(prefix, Jalali.PolDate(_clock.GetUtcNow()), random);
    }
}
