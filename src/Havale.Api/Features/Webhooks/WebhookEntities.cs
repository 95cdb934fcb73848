using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Features.Webhooks;

/// <summary>Where a delivery stands: waiting for its (next) attempt, answered 2xx, or given up after the retry window.</summary>
public enum DeliveryStatus
{
    Pending,
    Delivered,
    GivenUp,
}

/// <summary>A client's webhook endpoint. The secret signs every delivery; during a rotation the previous one signs too.</summary>
public sealed class WebhookEndpoint
{
    public const int DisabledReasonCharsMax = 200;

    public long Id { get; init; }
    public required string ClientId { get; init; }
    public required string Url { get; set; }
    /// <summary>The event types wanted, as ",type,type," so that one LIKE in SQL matches a type against the list.</summary>
    public required string EventTypes { get; set; }
    public required bool IsEnabled { get; set; }
    /// <summary>Why Havale disabled the endpoint itself (it kept failing); null when the client set it or it is enabled.</summary>
    public string? DisabledReason { get; set; }
    public required string Secret { get; set; }
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresUtc { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? FailingSinceUtc { get; set; }
    public required DateTimeOffset CreatedUtc { get; init; }
}

/// <summary>
/// The outbox: one row per state change a client may hear about, written in the transaction of the change itself.
/// <see cref="Payload"/> is the exact body every delivery of the event sends.
/// </summary>
public sealed class WebhookEvent
{
    public const int TypeCharsMax = 40;
    public const int ObjectKeyCharsMax = 80;

    public long Id { get; init; }
    public required string PublicId { get; init; }
    public required string ClientId { get; init; }
    public required string Type { get; init; }
    /// <summary>The object the event is about (a Pol payment, a Kilid order): deliveries of one object go in event order.</summary>
    public required string ObjectKey { get; init; }
    public required string Payload { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    /// <summary>True once the dispatcher has made the event's deliveries, one per endpoint that wants it.</summary>
    public bool IsFannedOut { get; set; }
}

/// <summary>One event on its way to one endpoint: its attempts so far, the last answer, and the lease of the node sending it.</summary>
public sealed class WebhookDelivery
{
    /// <summary>A lease token is a Guid's 32 hex digits.</summary>
    public const int LeaseTokenCharsMax = 40;

    public long Id { get; init; }
    public required long EventId { get; init; }
    public required long EndpointId { get; init; }
    public required string ObjectKey { get; init; }
    public required DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public required DateTimeOffset NextAttemptUtc { get; set; }
    /// <summary>After this instant the delivery is given up (the retry window, counted from its first or re-delivered start).</summary>
    public required DateTimeOffset GiveUpUtc { get; set; }
    public DateTimeOffset? LeaseUntilUtc { get; set; }
    public string? LeaseToken { get; set; }
    public DateTimeOffset? LastAttemptUtc { get; set; }
    public int? LastResponseStatus { get; set; }
    public int? LastLatencyMs { get; set; }
    public string? LastError { get; set; }
    public required DateTimeOffset CreatedUtc { get; init; }
}

public sealed class WebhookConfiguration :
    IEntityTypeConfiguration<WebhookEndpoint>, IEntityTypeConfiguration<WebhookEvent>, IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.HasKey(endpoint => endpoint.Id);
        builder.Property(endpoint => endpoint.ClientId).HasMaxLength(Platform.Limits.ClientIdCharsMax);
        builder.Property(endpoint => endpoint.Url).HasMaxLength(WebhookLimits.UrlCharsMax);
        builder.Property(endpoint => endpoint.EventTypes).HasMaxLength(WebhookLimits.EventTypesCharsMax);
        builder.Property(endpoint => endpoint.DisabledReason).HasMaxLength(WebhookEndpoint.DisabledReasonCharsMax);
        builder.Property(endpoint => endpoint.Secret).HasMaxLength(WebhookLimits.SecretCharsMax);
        builder.Property(endpoint => endpoint.PreviousSecret).HasMaxLength(WebhookLimits.SecretCharsMax);
        builder.HasOne<Accounts.ApiClient>().WithMany().HasForeignKey(endpoint => endpoint.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(endpoint => endpoint.ClientId);
    }

    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.ToTable("webhook_events");
        builder.HasKey(outboxEvent => outboxEvent.Id);
        builder.Property(outboxEvent => outboxEvent.PublicId).HasMaxLength(WebhookLimits.EventIdChars);
        builder.Property(outboxEvent => outboxEvent.ClientId).HasMaxLength(Platform.Limits.ClientIdCharsMax);
        builder.Property(outboxEvent => outboxEvent.Type).HasMaxLength(WebhookEvent.TypeCharsMax);
        builder.Property(outboxEvent => outboxEvent.ObjectKey).HasMaxLength(WebhookEvent.ObjectKeyCharsMax);
        builder.HasIndex(outboxEvent => outboxEvent.PublicId).IsUnique();
        // The dispatcher asks for the events it has not fanned out yet, oldest first.
        builder.HasIndex(outboxEvent => new { outboxEvent.IsFannedOut, outboxEvent.Id });
    }

    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries", table =>
            table.HasCheckConstraint("ck_webhook_deliveries_status", "status IN ('Pending', 'Delivered', 'GivenUp')"));
        builder.HasKey(delivery => delivery.Id);
        builder.Property(delivery => delivery.ObjectKey).HasMaxLength(WebhookEvent.ObjectKeyCharsMax);
        builder.Property(delivery => delivery.Status).StoredByName();
        builder.Property(delivery => delivery.LeaseToken).HasMaxLength(WebhookDelivery.LeaseTokenCharsMax);
        builder.Property(delivery => delivery.LastError).HasMaxLength(WebhookLimits.ErrorCharsMax);
        builder.HasOne<WebhookEvent>().WithMany().HasForeignKey(delivery => delivery.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(delivery => delivery.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // One delivery per event and endpoint, however many nodes fan the event out at once.
        builder.HasIndex(delivery => new { delivery.EventId, delivery.EndpointId }).IsUnique();
        builder.HasIndex(delivery => new { delivery.Status, delivery.NextAttemptUtc });
        // "Is an earlier event of this object still on its way to this endpoint?"
        builder.HasIndex(delivery => new { delivery.EndpointId, delivery.ObjectKey, delivery.Status });
    }
}
