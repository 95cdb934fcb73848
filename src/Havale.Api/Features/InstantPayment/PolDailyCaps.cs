using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Features.InstantPayment;

/// <summary>Configuration under <c>Havale:Pol</c>: the Central Bank's caps since May 2025, configurable.</summary>
public sealed class PolOptions
{
    public const string Section = "Havale:Pol";

    /// <summary>The most one person may send by Pol in a Tehran day through non-branch channels.</summary>
    public long DailyAmountRialsMax { get; set; } = 500_000_000;

    /// <summary>The most Pol payments one person may make to one beneficiary in a Tehran day.</summary>
    public int DailyPaymentsToOneBeneficiaryMax { get; set; } = 5;

    public void Validate()
    {
        if (DailyAmountRialsMax is < 1 or > Rials.MaxAmountRials || DailyPaymentsToOneBeneficiaryMax is < 1 or > 1_000_000)
        {
            throw new InvalidOperationException($"{Section}: DailyAmountRialsMax and DailyPaymentsToOneBeneficiaryMax must be positive.");
        }
    }
}

/// <summary>What one person has sent by Pol on one Tehran day.</summary>
public sealed class PolSenderDay
{
    public required string Nid { get; init; }
    public required string TehranDay { get; init; }
    public long SentRials { get; init; }
}

/// <summary>How many Pol payments one person made to one IBAN on one Tehran day.</summary>
public sealed class PolBeneficiaryDay
{
    public required string Nid { get; init; }
    public required string Iban { get; init; }
    public required string TehranDay { get; init; }
    public int Payments { get; init; }
}

internal sealed class PolDailyCapsConfiguration : IEntityTypeConfiguration<PolSenderDay>, IEntityTypeConfiguration<PolBeneficiaryDay>
{
    public void Configure(EntityTypeBuilder<PolSenderDay> builder)
    {
        builder.ToTable("pol_sender_days", table => table.HasCheckConstraint("ck_pol_sender_days_sent", "sent_rials >= 0"));
        builder.HasKey(day => new { day.Nid, day.TehranDay });
        builder.Property(day => day.Nid).HasMaxLength(NationalCode.Length).IsFixedLength();
        builder.Property(day => day.TehranDay).HasMaxLength(10).IsFixedLength();
    }

    public void Configure(EntityTypeBuilder<PolBeneficiaryDay> builder)
    {
        builder.ToTable("pol_beneficiary_days", table => table.HasCheckConstraint("ck_pol_beneficiary_days_payments", "payments >= 0"));
        builder.HasKey(day => new { day.Nid, day.Iban, day.TehranDay });
        builder.Property(day => day.Nid).HasMaxLength(NationalCode.Length).IsFixedLength();
        builder.Property(day => day.Iban).HasMaxLength(Iban.Length).IsFixedLength();
        builder.Property(day => day.TehranDay).HasMaxLength(10).IsFixedLength();
    }
}

public enum CapOutcome
{
    Reserved,
    DailyAmountExceeded,
    DailyBeneficiaryCountExceeded,
}

/// <summary>
/// The daily caps, kept exact under concurrency the way balances are: a usage row per day, raised by one guarded
/// UPDATE that refuses to pass the cap. A payment reserves its share before the money moves and gives it back if the
/// payment fails, so a refused payment does not eat into the day's allowance.
/// </summary>
public sealed class PolDailyCaps(IDbContextFactory<HavaleDb> dbFactory, PolOptions options)
{
    public async Task<CapOutcome> ReserveAsync(NationalCode sender, Iban beneficiary, Rials amount, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var day = TehranDay(now);
        var nid = sender.Value;
        var iban = beneficiary.Value;
        var amountRials = amount.AmountRials;
        var cap = options.DailyAmountRialsMax;
        var countMax = options.DailyPaymentsToOneBeneficiaryMax;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO pol_sender_days (nid, tehran_day, sent_rials) VALUES ({nid}, {day}, 0) ON CONFLICT DO NOTHING
            """, cancellationToken);
        var raised = await db.Database.ExecuteSqlAsync($"""
            UPDATE pol_sender_days SET sent_rials = sent_rials + {amountRials}
            WHERE nid = {nid} AND tehran_day = {day} AND sent_rials + {amountRials} <= {cap}
            """, cancellationToken);
        if (raised == 0)
        {
            return CapOutcome.DailyAmountExceeded;
        }
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO pol_beneficiary_days (nid, iban, tehran_day, payments) VALUES ({nid}, {iban}, {day}, 0) ON CONFLICT DO NOTHING
            """, cancellationToken);
        var counted = await db.Database.ExecuteSqlAsync($"""
            UPDATE pol_beneficiary_days SET payments = payments + 1
            WHERE nid = {nid} AND iban = {iban} AND tehran_day = {day} AND payments + 1 <= {countMax}
            """, cancellationToken);
        if (counted == 0)
        {
            return CapOutcome.DailyBeneficiaryCountExceeded;
        }
        await transaction.CommitAsync(cancellationToken);
        return CapOutcome.Reserved;
    }

    /// <summary>Gives back what a payment reserved when it did not go through.</summary>
    public async Task ReleaseAsync(NationalCode sender, Iban beneficiary, Rials amount, DateTimeOffset reservedAt, CancellationToken cancellationToken)
    {
        var day = TehranDay(reservedAt);
        var nid = sender.Value;
        var iban = beneficiary.Value;
        var amountRials = amount.AmountRials;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE pol_sender_days SET sent_rials = sent_rials - {amountRials} WHERE nid = {nid} AND tehran_day = {day}
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE pol_beneficiary_days SET payments = payments - 1 WHERE nid = {nid} AND iban = {iban} AND tehran_day = {day}
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string TehranDay(DateTimeOffset now) => TehranTime.ToTehran(now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
