using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Havale.Api.Features.Webhooks;

/// <summary>An event to record: for which client, of which type, about which object, and the object as the API shows it.</summary>
public sealed record OutboxEvent(string ClientId, string Type, string ObjectKey, object Data, DateTimeOffset NowUtc);

/// <summary>The body every delivery of an event sends: Standard Webhooks' recommended shape.</summary>
public sealed record WebhookPayload(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("data")] object Data);

/// <summary>
/// Writes events into the outbox inside the transaction of the change they report: through EF Core where the change
/// is made with EF Core, or as one more statement of a hand-written step (one INSERT for the whole batch).
/// </summary>
public static class WebhookOutbox
{
    public static WebhookEvent ToRow(OutboxEvent outboxEvent)
    {
        var publicId = "evt_" + Guid.CreateVersion7(outboxEvent.NowUtc).ToString("N");
        var timestamp = outboxEvent.NowUtc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var payload = JsonSerializer.Serialize(new WebhookPayload(publicId, outboxEvent.Type, timestamp, outboxEvent.Data), HavaleJson.Options);
        return new WebhookEvent
        {
            PublicId = publicId,
            ClientId = outboxEvent.ClientId,
            Type = outboxEvent.Type,
            ObjectKey = outboxEvent.ObjectKey,
            Payload = payload,
            CreatedUtc = outboxEvent.NowUtc,
        };
    }

    /// <summary>Adds the events to the context; the caller's SaveChanges writes them with its own rows.</summary>
    public static void Add(HavaleDb db, IEnumerable<OutboxEvent> events) => db.WebhookEvents.AddRange(events.Select(ToRow));

    /// <summary>
    /// Adds the events' INSERT to a hand-written step. PostgreSQL gets one statement whatever the count (arrays
    /// unnested, so its text stays the same and stays prepared); SQLite a multi-row VALUES per few hundred events.
    /// </summary>
    public static void Add(SqlStep step, SqlDialect dialect, IEnumerable<OutboxEvent> events)
    {
        var rows = events.Select(ToRow).ToList();
        if (rows.Count == 0)
        {
            return;
        }
        const string Columns = "public_id, client_id, type, object_key, payload, created_utc, is_fanned_out";
        if (dialect.IsPostgres)
        {
            step.Add($"""
                INSERT INTO webhook_events ({Columns})
                SELECT e.p, e.c, e.t, e.o, e.d, e.u, false
                FROM unnest(CAST(@p0 AS text[]), CAST(@p1 AS text[]), CAST(@p2 AS text[]), CAST(@p3 AS text[]), CAST(@p4 AS text[]),
                            CAST(@p5 AS timestamptz[])) AS e(p, c, t, o, d, u)
                """,
                rows.Select(row => row.PublicId).ToArray(), rows.Select(row => row.ClientId).ToArray(), rows.Select(row => row.Type).ToArray(),
                rows.Select(row => row.ObjectKey).ToArray(), rows.Select(row => row.Payload).ToArray(),
                rows.Select(row => row.CreatedUtc.ToUniversalTime()).ToArray());
            return;
        }
        foreach (var chunk in rows.Chunk(WebhookLimits.OutboxRowsPerInsertMax))
        {
            var values = new List<object?>(chunk.Length * 6);
            var tuples = new List<string>(chunk.Length);
            foreach (var row in chunk)
            {
                var first = values.Count;
                tuples.Add(string.Create(CultureInfo.InvariantCulture,
                    $"(@p{first}, @p{first + 1}, @p{first + 2}, @p{first + 3}, @p{first + 4}, @p{first + 5}, 0)"));
                values.AddRange([row.PublicId, row.ClientId, row.Type, row.ObjectKey, row.Payload, dialect.Instant(row.CreatedUtc)]);
            }
            step.Add($"INSERT INTO webhook_events ({Columns}) VALUES {string.Join(", ", tuples)}", values.ToArray());
        }
    }
}
