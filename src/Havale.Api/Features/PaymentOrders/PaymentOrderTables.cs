namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// Kilid's orders with their rows, ceremonies, signatures and history.
/// Why a slice names its own tables: <see cref="HavaleDb"/>.
/// </summary>
public static class PaymentOrderTables
{
    extension(HavaleDb db)
    {
        public DbSet<PaymentOrder> PaymentOrders => db.Set<PaymentOrder>();
        public DbSet<OrderDestination> OrderDestinations => db.Set<OrderDestination>();
        public DbSet<OrderCeremony> OrderCeremonies => db.Set<OrderCeremony>();
        public DbSet<OrderSignature> OrderSignatures => db.Set<OrderSignature>();
        public DbSet<OrderHistoryEntry> OrderHistory => db.Set<OrderHistoryEntry>();
    }
}
