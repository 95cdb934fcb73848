using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Ledger;

/// <summary>
/// The stored lengths of the ledger's text columns, each the one home of its bound (a national code, a trackId and
/// a counterparty IBAN take theirs from the domain type). Changing one changes the schema: it needs a migration.
/// </summary>
public static class LedgerColumns
{
    /// <summary>"deposit:" and 13 digits, "bank:" and 3, "clearing:paya": the longest code with room to spare.</summary>
    public const int AccountCodeCharsMax = 32;
    public const int ClientIdCharsMax = 64;
    public const int ReferenceCharsMax = 64;
    /// <summary>A transfer's note: what the deposit's statement shows for the line, or why a hold was voided.</summary>
    public const int NoteCharsMax = 200;

    /// <summary>A note cut to what the column keeps: longer text (a bank's reason, a Kilid row's description) is shortened, never refused.</summary>
    public static string? FitNote(string? text) => text is { Length: > NoteCharsMax } ? text[..NoteCharsMax] : text;
}

public enum LedgerAccountKind
{
    /// <summary>A customer's deposit at the host bank; never below zero.</summary>
    Deposit,
    /// <summary>The host bank's clearing account of a rail: money between leaving a deposit and reaching another bank.</summary>
    Clearing,
    /// <summary>What the host bank has sent to (or received from) another bank.</summary>
    ExternalBank,
    /// <summary>Where the sandbox's opening balances come from; carries their sum as a negative balance.</summary>
    Genesis,
}

/// <summary>
/// A ledger account. Balances change only through transfers, each change one guarded UPDATE statement;
/// <see cref="BalanceRials"/> is the posted balance and <see cref="PendingRials"/> what open holds reserve.
/// </summary>
public sealed class LedgerAccount
{
    public long Id { get; init; }
    /// <summary>A deposit's 13-digit number, or a system code such as <c>clearing:pol</c>, <c>bank:012</c>, <c>genesis</c>.</summary>
    public required string Code { get; init; }
    public required LedgerAccountKind Kind { get; init; }
    public long BalanceRials { get; init; }
    public long PendingRials { get; init; }
    /// <summary>Only system accounts may go below zero (genesis by construction, clearing and banks in passing).</summary>
    public required bool AllowsNegative { get; init; }
    public DateTimeOffset CreatedUtc { get; init; }
}

public enum TransferKind
{
    /// <summary>Moves money at once.</summary>
    Posted,
    /// <summary>Reserves money on the debit account until a later <see cref="PostPending"/> or <see cref="VoidPending"/>.</summary>
    Pending,
    PostPending,
    VoidPending,
}

public enum RailKind
{
    Genesis,
    Internal,
    Pol,
    Paya,
    /// <summary>Clearing account to the destination bank, once a rail has answered.</summary>
    Settlement,
}

/// <summary>
/// An immutable, append-only record of money moving (or being reserved) between two accounts.
/// A pending transfer is resolved by exactly one later transfer that names it; a unique index on
/// <see cref="PendingId"/> makes a second resolution impossible, whatever the concurrency.
/// </summary>
public sealed class LedgerTransfer
{
    public long Id { get; init; }
    public required TransferKind Kind { get; init; }
    public required long DebitAccountId { get; init; }
    public required long CreditAccountId { get; init; }
    public required long AmountRials { get; init; }
    public long? PendingId { get; init; }
    public required RailKind Rail { get; init; }
    public string? ClientId { get; init; }
    public string? Nid { get; init; }
    public string? TrackId { get; init; }
    /// <summary>The rail's reference for the payment (Pol's originKey, a Paya reference), shared by a hold and its resolution.</summary>
    public string? Reference { get; init; }
    /// <summary>Where the money is going outside the ledger: the destination IBAN or deposit of a rail payment.</summary>
    public string? Counterparty { get; init; }
    /// <summary>For a Paya hold: the cycle it settles in.</summary>
    public DateTimeOffset? DueUtc { get; init; }
    /// <summary>Why a hold was voided, or what the destination said.</summary>
    public string? Note { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
}

internal sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> builder)
    {
        builder.ToTable("ledger_accounts", table =>
        {
            // The database refuses an overdraft even if a code path forgot to ask.
            table.HasCheckConstraint("ck_ledger_accounts_no_overdraft", "allows_negative OR balance_rials - pending_rials >= 0");
            table.HasCheckConstraint("ck_ledger_accounts_pending_not_negative", "pending_rials >= 0");
        });
        builder.HasKey(account => account.Id);
        builder.Property(account => account.Code).HasMaxLength(LedgerColumns.AccountCodeCharsMax);
        builder.HasIndex(account => account.Code).IsUnique();
        builder.Property(account => account.Kind).StoredByName();
    }
}

internal sealed class LedgerTransferConfiguration : IEntityTypeConfiguration<LedgerTransfer>
{
    public void Configure(EntityTypeBuilder<LedgerTransfer> builder)
    {
        builder.ToTable("ledger_transfers", table =>
        {
            table.HasCheckConstraint("ck_ledger_transfers_amount_positive", "amount_rials > 0");
            table.HasCheckConstraint("ck_ledger_transfers_two_accounts", "debit_account_id <> credit_account_id");
            table.HasCheckConstraint("ck_ledger_transfers_resolution_names_hold",
                "(kind IN ('PostPending', 'VoidPending')) = (pending_id IS NOT NULL)");
        });
        builder.HasKey(transfer => transfer.Id);
        builder.Property(transfer => transfer.Kind).StoredByName();
        builder.Property(transfer => transfer.Rail).StoredByName();
        builder.Property(transfer => transfer.ClientId).HasMaxLength(LedgerColumns.ClientIdCharsMax);
        builder.Property(transfer => transfer.Nid).HasMaxLength(NationalCode.Length);
        builder.Property(transfer => transfer.TrackId).HasMaxLength(TrackId.LengthMax);
        builder.Property(transfer => transfer.Reference).HasMaxLength(LedgerColumns.ReferenceCharsMax);
        builder.Property(transfer => transfer.Note).HasMaxLength(LedgerColumns.NoteCharsMax);
        builder.Property(transfer => transfer.Counterparty).HasMaxLength(Iban.Length);
        builder.HasOne<LedgerAccount>().WithMany().HasForeignKey(transfer => transfer.DebitAccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LedgerAccount>().WithMany().HasForeignKey(transfer => transfer.CreditAccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LedgerTransfer>().WithOne().HasForeignKey<LedgerTransfer>(transfer => transfer.PendingId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(transfer => transfer.PendingId).IsUnique();
        builder.HasIndex(transfer => transfer.DebitAccountId);
        builder.HasIndex(transfer => transfer.CreditAccountId);
        builder.HasIndex(transfer => transfer.Reference);
        builder.HasIndex(transfer => new { transfer.ClientId, transfer.TrackId });
    }
}
