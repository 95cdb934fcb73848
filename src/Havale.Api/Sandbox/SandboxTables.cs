using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Sandbox;

/// <summary>
/// The sandbox's settings and the simulated banks' behaviour and books. They are extension properties, not members of
/// <see cref="HavaleDb"/>, so that Storage knows nothing of the slices above it; the tables' shapes are this slice's
/// <c>IEntityTypeConfiguration</c>s, which the model applies.
/// </summary>
public static class SandboxTables
{
    extension(HavaleDb db)
    {
        public DbSet<SimulatedBankBehaviour> SimulatedBankBehaviours => db.Set<SimulatedBankBehaviour>();
        public DbSet<SimulatedBankPayment> SimulatedBankPayments => db.Set<SimulatedBankPayment>();
        public DbSet<SandboxSetting> SandboxSettings => db.Set<SandboxSetting>();
    }
}
