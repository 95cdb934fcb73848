namespace Havale.Api.Features.InstantPayment;

/// <summary>
/// What each person sent by Pol per Tehran day, in sum and per beneficiary.
/// Why a slice names its own tables: <see cref="HavaleDb"/>.
/// </summary>
public static class PolDailyCapTables
{
    extension(HavaleDb db)
    {
        public DbSet<PolSenderDay> PolSenderDays => db.Set<PolSenderDay>();
        public DbSet<PolBeneficiaryDay> PolBeneficiaryDays => db.Set<PolBeneficiaryDay>();
    }
}
