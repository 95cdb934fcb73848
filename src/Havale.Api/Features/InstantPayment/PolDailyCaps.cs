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

/// <summary>
/// What one person has sent by Pol on one Tehran day. The caps are kept exact under concurrency the way balances are:
/// the Pol rail's writer locks these rows, checks each payment against them and writes the sums (Rails/Pol/PolWriter).
/// </summary>
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
