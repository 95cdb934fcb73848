using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// Kilid's orders, their rows, ceremonies, signatures and history. They are extension properties, not members of <see
/// cref="HavaleDb"/>, so that Storage knows nothing of the slices above it; the tables' shapes are this slice's
/// <c>IEntityTypeConfiguration</c>s, which the model applies.
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
