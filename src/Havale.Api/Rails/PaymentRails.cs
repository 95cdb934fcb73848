using System.Collections.Concurrent;
using System.Security.Cryptography;
using Havale.Api.Accounts;
using Havale.Api.Features.InstantPayment;
using Havale.Api.Ledger;
using Havale.Api.Rails.Pol;

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
    GatewayNodes nodes,
    ILogger<PaymentRails> logger)
{
    private readonly GatewayNodes _nodes = nodes;
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

    internal static string? Truncate(string? text) => LedgerColumns.FitNote(text);

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
