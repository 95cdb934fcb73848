namespace Havale.Api.Features.Webhooks;

/// <summary>
/// Webhook endpoints, the outbox of events and each delivery. Why a slice names its own tables: <see cref="HavaleDb"/>.
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
