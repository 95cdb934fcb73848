using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Features.InstantPayment;

internal sealed class PolDailyCapsConfiguration : IEntityTypeConfiguration<PolSenderDay>, IEntityTypeConfiguration<PolBeneficiaryDay>
{
    public void Configure(EntityTypeBuilder<PolSenderDay> builder)
    {
        builder.ToTable("pol_sender_days", table => table.HasCheckConstraint("ck_pol_sender_days_sent", "sent_rials >= 0"));
        builder.HasKey(day => new { day.Nid, day.TehranDay });
        builder.Property(day => day.Nid).StoredAsNationalCode();
        builder.Property(day => day.TehranDay).HasMaxLength(PolSenderDay.TehranDayLength).IsFixedLength();
    }

    public void Configure(EntityTypeBuilder<PolBeneficiaryDay> builder)
    {
        builder.ToTable("pol_beneficiary_days", table => table.HasCheckConstraint("ck_pol_beneficiary_days_payments", "payments >= 0"));
        builder.HasKey(day => new { day.Nid, day.Iban, day.TehranDay });
        builder.Property(day => day.Nid).StoredAsNationalCode();
        builder.Property(day => day.Iban).HasMaxLength(Iban.Length).IsFixedLength();
        builder.Property(day => day.TehranDay).HasMaxLength(PolSenderDay.TehranDayLength).IsFixedLength();
    }
}
