using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Features.InstantPayment;

/// <summary>
/// What each person sent by Pol per Tehran day. They are extension properties, not members of <see cref="HavaleDb"/>,
/// so that Storage knows nothing of the slices above it; the tables' shapes are this slice's
/// <c>IEntityTypeConfiguration</c>s, which the model applies.
/// </summary>
public static class PolDailyCapTables
{
    extension(HavaleDb db)
    {
        public DbSet<PolSenderDay> PolSenderDays => db.Set<PolSenderDay>();
        public DbSet<PolBeneficiaryDay> PolBeneficiaryDays => db.Set<PolBeneficiaryDay>();
    }
}
