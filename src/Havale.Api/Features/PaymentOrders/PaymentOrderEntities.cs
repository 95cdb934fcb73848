using Havale.Api.Accounts;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// The stored life of an order. <c>done</c> is not stored: an order is done when it is in progress and every row's
/// money has reached its end in the ledger (see <see cref="OrderReader"/>), so the two can never disagree.
/// </summary>
public enum OrderStatus
{
    Created,
    Pending,
    Signed,
    InProgress,
    Deleted,
}

public enum OrderAction
{
    Create,
    Edit,
    Sign,
    Unsign,
    Pay,
    Delete,
}

/// <summary>A Kilid payment order on one host deposit.</summary>
public sealed class PaymentOrder
{
    public long Id { get; init; }
    public required string DepositNumber { get; init; }
    public required string ClientId { get; init; }
    public required OrderStatus Status { get; set; }
    public string? Note { get; set; }
    public required string CreatedByNid { get; init; }
    /// <summary>The deposit's required signatures when the order was made: the ceremonies were checked against it.</summary>
    public required int RequiredSignatures { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    public required DateTimeOffset LastUpdateUtc { get; set; }
    public DateTimeOffset? PaidUtc { get; set; }
    public string? PaidByNid { get; set; }
    public string? PayTrackId { get; set; }
}

/// <summary>
/// One destination row. Its state is read from the ledger through <see cref="LedgerTransferId"/>: none yet is
/// <c>ready</c>; an internal row's posted transfer is <c>success</c>; a Paya row's hold is <c>wait</c> until a
/// PostPending (<c>success</c>) or VoidPending (<c>failed</c>, the void's note is the reason) names it.
/// </summary>
public sealed class OrderDestination
{
    public long Id { get; init; }
    public required long OrderId { get; init; }
    /// <summary>The row's place in the order as the caller sent it.</summary>
    public required int Position { get; init; }
    /// <summary>As the caller wrote it: a 13-digit deposit or an IBAN.</summary>
    public required string Number { get; init; }
    public required TransferType TransferType { get; init; }
    public required long AmountRials { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? ReferenceCode { get; init; }
    public long? LedgerTransferId { get; set; }
}

public sealed class OrderCeremony
{
    public required long OrderId { get; init; }
    public required string Nid { get; init; }
    /// <summary>1 signs first; nobody at order k signs while someone at a lower order has not.</summary>
    public required int SigningOrder { get; init; }
}

public sealed class OrderSignature
{
    public required long OrderId { get; init; }
    public required string Nid { get; init; }
    public required DateTimeOffset SignedUtc { get; init; }
}

public sealed class OrderHistoryEntry
{
    public long Id { get; init; }
    public required long OrderId { get; init; }
    public required OrderAction Action { get; init; }
    public required string Nid { get; init; }
    public string? Description { get; init; }
    public required DateTimeOffset AtUtc { get; init; }
}

/// <summary>
/// Text columns are twice their character limit: limits count what a person sees (Unicode scalar values), and one
/// such character may take two UTF-16 units.
/// </summary>
internal sealed class PaymentOrderConfiguration :
    IEntityTypeConfiguration<PaymentOrder>,
    IEntityTypeConfiguration<OrderDestination>,
    IEntityTypeConfiguration<OrderCeremony>,
    IEntityTypeConfiguration<OrderSignature>,
    IEntityTypeConfiguration<OrderHistoryEntry>
{
    public void Configure(EntityTypeBuilder<PaymentOrder> builder)
    {
        builder.ToTable("payment_orders", table =>
        {
            table.HasCheckConstraint("ck_payment_orders_status", "status IN ('Created', 'Pending', 'Signed', 'InProgress', 'Deleted')");
            table.HasCheckConstraint("ck_payment_orders_required_signatures", "required_signatures >= 1");
            table.HasCheckConstraint("ck_payment_orders_paid", "(status = 'InProgress') = (paid_utc IS NOT NULL)");
        });
        builder.HasKey(order => order.Id);
        builder.Property(order => order.DepositNumber).StoredAsDepositNumber();
        builder.Property(order => order.ClientId).HasMaxLength(Platform.Limits.ClientIdCharsMax);
        builder.Property(order => order.Status).StoredByName();
        builder.Property(order => order.Note).HasMaxLength(PaymentOrderLimits.NoteCharsMax * 2);
        builder.Property(order => order.CreatedByNid).StoredAsNationalCode();
        builder.Property(order => order.PaidByNid).StoredAsNationalCode();
        builder.Property(order => order.PayTrackId).HasMaxLength(TrackId.LengthMax);
        builder.HasOne<Deposit>().WithMany().HasForeignKey(order => order.DepositNumber).OnDelete(DeleteBehavior.Restrict);
        // The list asks "this deposit's orders of a month, newest first".
        builder.HasIndex(order => new { order.DepositNumber, order.CreatedUtc });
    }

    public void Configure(EntityTypeBuilder<OrderDestination> builder)
    {
        builder.ToTable("payment_order_destinations", table =>
        {
            table.HasCheckConstraint("ck_payment_order_destinations_amount", "amount_rials > 0");
            table.HasCheckConstraint("ck_payment_order_destinations_transfer_type", "transfer_type IN ('Internal', 'Paya')");
            // The Paya caps again, so that no code path can store a row the rail would refuse.
            table.HasCheckConstraint("ck_payment_order_destinations_paya_caps",
                $"transfer_type <> 'Paya' OR (amount_rials >= {PaymentOrderLimits.PayaAmountRialsMin} AND amount_rials <= {PaymentOrderLimits.PayaAmountRialsMax})");
        });
        builder.HasKey(row => row.Id);
        builder.Property(row => row.Number).HasMaxLength(Iban.Length);
        builder.Property(row => row.TransferType).StoredByName();
        builder.Property(row => row.Name).HasMaxLength(PaymentOrderLimits.NameCharsMax * 2);
        builder.Property(row => row.Description).HasMaxLength(PaymentOrderLimits.DescriptionCharsMax * 2);
        builder.Property(row => row.ReferenceCode).HasMaxLength(PaymentOrderLimits.ReferenceCodeDigitsMax);
        builder.HasOne<PaymentOrder>().WithMany().HasForeignKey(row => row.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Ledger.LedgerTransfer>().WithMany().HasForeignKey(row => row.LedgerTransferId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(row => new { row.OrderId, row.Position }).IsUnique();
        builder.HasIndex(row => row.LedgerTransferId).IsUnique();
    }

    public void Configure(EntityTypeBuilder<OrderCeremony> builder)
    {
        builder.ToTable("payment_order_ceremonies", table =>
            table.HasCheckConstraint("ck_payment_order_ceremonies_order",
                $"signing_order >= {PaymentOrderLimits.CeremonyOrderMin} AND signing_order <= {PaymentOrderLimits.CeremonyOrderMax}"));
        builder.HasKey(ceremony => new { ceremony.OrderId, ceremony.Nid });
        builder.Property(ceremony => ceremony.Nid).StoredAsNationalCode();
        builder.HasOne<PaymentOrder>().WithMany().HasForeignKey(ceremony => ceremony.OrderId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<OrderSignature> builder)
    {
        builder.ToTable("payment_order_signatures");
        // One signature per person per order, whatever the concurrency: signing twice changes nothing.
        builder.HasKey(signature => new { signature.OrderId, signature.Nid });
        builder.Property(signature => signature.Nid).StoredAsNationalCode();
        builder.HasOne<PaymentOrder>().WithMany().HasForeignKey(signature => signature.OrderId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<OrderHistoryEntry> builder)
    {
        builder.ToTable("payment_order_history", table =>
            table.HasCheckConstraint("ck_payment_order_history_action", "action IN ('Create', 'Edit', 'Sign', 'Unsign', 'Pay', 'Delete')"));
        builder.HasKey(entry => entry.Id);
        builder.Property(entry => entry.Action).StoredByName();
        builder.Property(entry => entry.Nid).StoredAsNationalCode();
        builder.Property(entry => entry.Description).HasMaxLength(PaymentOrderLimits.NoteCharsMax * 2);
        builder.HasOne<PaymentOrder>().WithMany().HasForeignKey(entry => entry.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(entry => entry.OrderId);
    }
}
