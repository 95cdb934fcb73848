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

    private static readonly string AdmitMany = """
        INSERT INTO call_log (client_id, track_id, method, route, request_sha256, state, started_utc)
        SELECT * FROM
        """ + " " + SqlDialect.Unnest("text", "text", "text", "text", "text", "text", "timestamptz")
        + " ON CONFLICT (client_id, track_id) DO NOTHING RETURNING id, client_id, track_id";

    private static readonly string CompleteMany = """
        UPDATE call_log AS c SET state = u.s, response_status = u.st, response_content_type = u.ct, response_body = u.b,
            response_sha256 = u.h, completed_utc = u.t
        FROM
        """ + " " + SqlDialect.Unnest("text", "integer", "text", "bytea", "text", "timestamptz", "bigint") + " AS u(s, st, ct, b, h, t, id) WHERE c.id = u.id";

    /// <summary>
    /// Admits many calls in one step: one INSERT over arrays on PostgreSQL, one a call on SQLite. <paramref name="admitted"/>
    /// hears (position in <paramref name="calls"/>, id) for each admitted; a trackId used before (or earlier in the same
    /// list) is not admitted and not reported.
    /// </summary>
    public static void AddAdmissions(SqlStep step, SqlDialect dialect, IReadOnlyList<CallRecord> calls, Action<int, long> admitted)
    {
        if (calls.Count == 0)
        {
            return;
        }
        if (!dialect.IsPostgres || calls.Count == 1)
        {
            for (var i = 0; i < calls.Count; i++)
            {
                var index = i;
                step.Add(Admit, reader => admitted(index, reader.GetInt64(0)), AdmitValues(calls[i], dialect));
            }
            return;
        }
        // A repeat returns nothing, so rows are matched by their key; the first call with a key is the one that can
        // have been admitted (a later one in the same statement conflicts with it).
        var first = new Dictionary<(string ClientId, string TrackId), int>();
        for (var i = calls.Count - 1; i >= 0; i--)
        {
            first[(calls[i].ClientId, calls[i].TrackId)] = i;
        }
        var rows = calls.Select(call => AdmitValues(call, dialect)).ToList();
        step.Add(AdmitMany, reader => admitted(first[(reader.GetString(1), reader.GetString(2))], reader.GetInt64(0)),
            SqlDialect.Column<string>(rows, 0), SqlDialect.Column<string>(rows, 1), SqlDialect.Column<string>(rows, 2),
            SqlDialect.Column<string>(rows, 3), SqlDialect.Column<string>(rows, 4), SqlDialect.Column<string>(rows, 5),
            SqlDialect.Column<DateTimeOffset>(rows, 6));
    }

    /// <summary>Completes many calls in one step (rows as <see cref="CompleteValues"/> gives them): one UPDATE over arrays on PostgreSQL.</summary>
    public static void AddCompletions(SqlStep step, SqlDialect dialect, IReadOnlyList<object?[]> completions)
    {
        if (!dialect.IsPostgres || completions.Count <= 1)
        {
            foreach (var values in completions)
            {
                step.Add(Complete, values);
            }
            return;
        }
        step.Add(CompleteMany, SqlDialect.Column<string>(completions, 0), SqlDialect.Column<int>(completions, 1),
            SqlDialect.Column<string?>(completions, 2), SqlDialect.Column<byte[]>(completions, 3), SqlDialect.Column<string>(completions, 4),
            SqlDialect.Column<DateTimeOffset>(completions, 5), SqlDialect.Column<long>(completions, 6));
    }

    private static string Sha256(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));
}
