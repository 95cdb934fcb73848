using Havale.Api.Accounts;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Rails;

public enum BankMode
{
    Normal,
    Reject,
    Timeout,
    Down,
}

/// <summary>How a simulated bank behaves; a bank with no row behaves normally with no latency.</summary>
public sealed class SimulatedBankBehaviour
{
    public required string BankCode { get; init; }
    public required BankMode Mode { get; set; }
    public required int LatencyMs { get; set; }
}

/// <summary>
/// What a simulated bank received. Kept in the database, like a real bank's own books, so that a crash of the gateway
/// cannot make the bank forget a payment: after a restart the gateway asks, and the bank answers from here.
/// </summary>
public sealed class SimulatedBankPayment
{
    public required string Reference { get; init; }
    public required string BankCode { get; init; }
    public required string Iban { get; init; }
    public required long AmountRials { get; init; }
    public required bool IsAccepted { get; init; }
    public string? Reason { get; init; }
    /// <summary>False while the bank (in timeout mode) has decided but not yet told the gateway.</summary>
    public required bool IsAnswered { get; set; }
    public required DateTimeOffset ReceivedUtc { get; init; }
}

internal sealed class SimulatedBankConfiguration : IEntityTypeConfiguration<SimulatedBankBehaviour>, IEntityTypeConfiguration<SimulatedBankPayment>
{
    public void Configure(EntityTypeBuilder<SimulatedBankBehaviour> builder)
    {
        builder.ToTable("sim_bank_behaviours");
        builder.HasKey(bank => bank.BankCode);
        builder.Property(bank => bank.BankCode).HasMaxLength(3).IsFixedLength();
        builder.Property(bank => bank.Mode).HasConversion<string>().HasMaxLength(16);
    }

    public void Configure(EntityTypeBuilder<SimulatedBankPayment> builder)
    {
        builder.ToTable("sim_bank_payments");
        builder.HasKey(payment => payment.Reference);
        builder.Property(payment => payment.Reference).HasMaxLength(64);
        builder.Property(payment => payment.BankCode).HasMaxLength(3).IsFixedLength();
        builder.Property(payment => payment.Iban).HasMaxLength(Domain.Iban.Length).IsFixedLength();
        builder.Property(payment => payment.Reason).HasMaxLength(200);
    }
}

/// <summary>
/// The other banks, simulated from the seed's external accounts. Each bank has a mode (normal, reject, timeout, down)
/// and a latency that the sandbox can change; an account that is missing, blocked or dormant refuses credits.
/// </summary>
public sealed class SimulatedBanks(IDbContextFactory<HavaleDb> dbFactory, TimeProvider clock) : IInterbankNetwork
{
    public const int LatencyMsMax = 60_000;

    public async Task<BankAnswer> SendAsync(InterbankPayment payment, CancellationToken cancellationToken)
    {
        var behaviour = await BehaviourAsync(payment.Destination.BankCode, cancellationToken);
        if (behaviour.LatencyMs > 0)
        {
            // Real time on purpose: latency is what a caller waits on the wire, and the sandbox clock may stand still.
            await Task.Delay(behaviour.LatencyMs, cancellationToken);
        }
        if (behaviour.Mode == BankMode.Down)
        {
            return new BankAnswer(BankAnswerKind.Unavailable, "destination bank is not available");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.SimulatedBankPayments.SingleOrDefaultAsync(received => received.Reference == payment.Reference, cancellationToken);
        if (existing is not null)
        {
            return await AnswerAsync(db, existing, behaviour, cancellationToken);
        }
        var (isAccepted, reason) = await DecideAsync(db, payment, behaviour, cancellationToken);
        var received = new SimulatedBankPayment
        {
            Reference = payment.Reference,
            BankCode = payment.Destination.BankCode,
            Iban = payment.Destination.Value,
            AmountRials = payment.Amount.AmountRials,
            IsAccepted = isAccepted,
            Reason = reason,
            IsAnswered = behaviour.Mode != BankMode.Timeout,
            ReceivedUtc = clock.GetUtcNow(),
        };
        db.SimulatedBankPayments.Add(received);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same payment arrived twice at once; the first one to be written is the bank's record of it.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            var first = await again.SimulatedBankPayments.SingleAsync(row => row.Reference == payment.Reference, cancellationToken);
            return await AnswerAsync(again, first, behaviour, cancellationToken);
        }
        return received.IsAnswered ? Decision(received) : new BankAnswer(BankAnswerKind.NoAnswer);
    }

    public async Task<BankAnswer> AskAsync(InterbankPayment payment, CancellationToken cancellationToken)
    {
        var behaviour = await BehaviourAsync(payment.Destination.BankCode, cancellationToken);
        if (behaviour.Mode == BankMode.Down)
        {
            return new BankAnswer(BankAnswerKind.NoAnswer);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var received = await db.SimulatedBankPayments.SingleOrDefaultAsync(row => row.Reference == payment.Reference, cancellationToken);
        if (received is not null)
        {
            return await AnswerAsync(db, received, behaviour, cancellationToken);
        }
        // "Never received" is final, as on a real rail: the bank records the reference as refused, so a payment still on
        // its way (sent by another gateway node, or delayed on the wire) is rejected when it arrives, instead of being
        // credited after the gateway has voided its hold.
        db.SimulatedBankPayments.Add(new SimulatedBankPayment
        {
            Reference = payment.Reference,
            BankCode = payment.Destination.BankCode,
            Iban = payment.Destination.Value,
            AmountRials = payment.Amount.AmountRials,
            IsAccepted = false,
            Reason = "the payment was asked about before it arrived and is cancelled",
            IsAnswered = true,
            ReceivedUtc = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // It arrived at that very moment; the bank answers from its record of it.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            var arrived = await again.SimulatedBankPayments.SingleAsync(row => row.Reference == payment.Reference, cancellationToken);
            return await AnswerAsync(again, arrived, behaviour, cancellationToken);
        }
        return new BankAnswer(BankAnswerKind.NotReceived);
    }

    public async Task<LookedUpAccount> LookUpAsync(Iban iban, CancellationToken cancellationToken)
    {
        var behaviour = await BehaviourAsync(iban.BankCode, cancellationToken);
        if (behaviour.Mode is BankMode.Down or BankMode.Timeout)
        {
            return new LookedUpAccount(LookupOutcome.Unreachable);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.ExternalAccounts.AsNoTracking().SingleOrDefaultAsync(external => external.Iban == iban.Value, cancellationToken);
        return account is null
            ? new LookedUpAccount(LookupOutcome.NotFound)
            : new LookedUpAccount(LookupOutcome.Found, account.Status, [new AccountOwner(account.FirstName, account.LastName)]);
    }

    public async Task<SimulatedBankBehaviour> SetBehaviourAsync(string bankCode, BankMode mode, int latencyMs, CancellationToken cancellationToken)
    {
        Invariant.Holds(latencyMs is >= 0 and <= LatencyMsMax);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var behaviour = await db.SimulatedBankBehaviours.SingleOrDefaultAsync(bank => bank.BankCode == bankCode, cancellationToken);
        if (behaviour is null)
        {
            behaviour = new SimulatedBankBehaviour { BankCode = bankCode, Mode = mode, LatencyMs = latencyMs };
            db.SimulatedBankBehaviours.Add(behaviour);
        }
        else
        {
            behaviour.Mode = mode;
            behaviour.LatencyMs = latencyMs;
        }
        await db.SaveChangesAsync(cancellationToken);
        return behaviour;
    }

    private async Task<SimulatedBankBehaviour> BehaviourAsync(string bankCode, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SimulatedBankBehaviours.AsNoTracking().SingleOrDefaultAsync(bank => bank.BankCode == bankCode, cancellationToken)
               ?? new SimulatedBankBehaviour { BankCode = bankCode, Mode = BankMode.Normal, LatencyMs = 0 };
    }

    private static async Task<BankAnswer> AnswerAsync(HavaleDb db, SimulatedBankPayment received, SimulatedBankBehaviour behaviour,
        CancellationToken cancellationToken)
    {
        if (received.IsAnswered)
        {
            return Decision(received);
        }
        if (behaviour.Mode == BankMode.Timeout)
        {
            return new BankAnswer(BankAnswerKind.NoAnswer);
        }
        // The bank has come back: it tells what it decided when the payment arrived.
        await db.SimulatedBankPayments.Where(row => row.Reference == received.Reference)
            .ExecuteUpdateAsync(update => update.SetProperty(row => row.IsAnswered, true), cancellationToken);
        return Decision(received);
    }

    private static BankAnswer Decision(SimulatedBankPayment received)
        => received.IsAccepted ? new BankAnswer(BankAnswerKind.Accepted) : new BankAnswer(BankAnswerKind.Rejected, received.Reason);

    private static async Task<(bool IsAccepted, string? Reason)> DecideAsync(HavaleDb db, InterbankPayment payment,
        SimulatedBankBehaviour behaviour, CancellationToken cancellationToken)
    {
        if (behaviour.Mode == BankMode.Reject)
        {
            return (false, "destination bank rejected the payment");
        }
        var account = await db.ExternalAccounts.AsNoTracking()
            .SingleOrDefaultAsync(external => external.Iban == payment.Destination.Value, cancellationToken);
        if (account is null)
        {
            return (false, "destination account not found");
        }
        return account.Status switch
        {
            AccountStatus.Blocked => (false, "destination account is blocked"),
            AccountStatus.Dormant => (false, "destination account is dormant"),
            AccountStatus.Active => (true, null),
        };
    }
}
