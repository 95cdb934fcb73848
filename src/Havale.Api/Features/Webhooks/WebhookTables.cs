using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Features.Webhooks;

/// <summary>
/// Registered webhook endpoints, the outbox of events and each delivery attempt. They are extension properties, not
/// members of <see cref="HavaleDb"/>, so that Storage knows nothing of the slices above it; the tables' shapes are
/// this slice's <c>IEntityTypeConfiguration</c>s, which the model applies.
/// </summary>
public static class WebhookTables
{
    extension(HavaleDb db)
    {
        public DbSet<WebhookEndpoint> WebhookEndpoints => db.Set<WebhookEndpoint>();
        public DbSet<WebhookEvent> WebhookEvents => db.Set<WebhookEvent>();
        public DbSet<WebhookDelivery> WebhookDeliveries => db.Set<WebhookDelivery>();
    }
}
