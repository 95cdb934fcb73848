using Havale.Domain;
using System.Security.Cryptography;
using Havale.Api.Storage;

namespace Havale.Api.CallLog;

/// <summary>The call log's rows as the hot path writes them.</summary>
public static class CallLogSql
{
    /// <summary>Admission: the unique (client, trackId) index decides, and a repeat is an empty result, not an error.</summary>
    public const string Admit = """
        INSERT INTO call_log (client_id, track_id, method, route, request_sha256, state, started_utc)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
        ON CONFLICT (client_id, track_id) DO NOTHING RETURNING id
        """;

    /// <summary>A call answered without any other write (refused before money was touched): admitted and completed at once.</summary>
    public const string Record = """
        INSERT INTO call_log (client_id, track_id, method, route, request_sha256, state, started_utc,
            response_status, response_content_type, response_body, response_sha256, completed_utc)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)
        ON CONFLICT (client_id, track_id) DO NOTHING RETURNING id
        """;

    public const string Complete = """
        UPDATE call_log SET state = @p0, response_status = @p1, response_content_type = @p2, response_body = @p3,
            response_sha256 = @p4, completed_utc = @p5
        WHERE id = @p6
        """;

    public static object?[] AdmitValues(CallRecord call, SqlDialect dialect)
        =>
        [
            call.ClientId, call.TrackId, call.Method, call.Route, call.RequestSha256, CallState.InProgress.ToString(),
            dialect.Instant(call.StartedUtc),
        ];

    public static object?[] RecordValues(CallRecord call, int status, string? contentType, byte[] body, DateTimeOffset nowUtc, SqlDialect dialect)
        =>
        [
            call.ClientId, call.TrackId, call.Method, call.Route, call.RequestSha256, CallState.Completed.ToString(),
            dialect.Instant(call.StartedUtc), status, contentType, body, Sha256(body), dialect.Instant(nowUtc),
        ];

    public static object?[] CompleteValues(long callId, int status, string? contentType, byte[] body, DateTimeOffset nowUtc, SqlDialect dialect)
    {
        Invariant.Holds(body.Length <= Platform.Limits.StoredResponseBytesMax);
        return [CallState.Completed.ToString(), status, contentType, body, Sha256(body), dialect.Instant(nowUtc), callId];
    }

    private static string Sha256(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));
}
