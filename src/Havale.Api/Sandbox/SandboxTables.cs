namespace Havale.Api.Sandbox;

/// <summary>
/// The sandbox's settings and the simulated banks' behaviour and books.
/// Why a slice names its own tables: <see cref="HavaleDb"/>.
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
