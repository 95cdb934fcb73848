using System.Security.Cryptography;

namespace Havale.Api.CallLog;

/// <summary>The call log's rows as the hot path writes them.</summary>
public static class CallLogSql
{
    private const string AdmitColumns = "client_id, track_id, method, route, request_sha256, state, started_utc, node_id";

    private const string AdmitOnConflict = "ON CONFLICT (client_id, track_id) DO NOTHING";

    // The rule of AdmitPayment below.
    private const string AdmitPaymentOnConflict = """
        ON CONFLICT (client_id, track_id) DO UPDATE SET state = excluded.state, started_utc = excluded.started_utc, node_id = excluded.node_id
        WHERE call_log.state = 'Interrupted' AND call_log.request_sha256 = excluded.request_sha256
            AND call_log.route = excluded.route AND call_log.method = excluded.method
            AND NOT EXISTS (SELECT 1 FROM ledger_transfers hold
                WHERE hold.client_id = call_log.client_id AND hold.track_id = call_log.track_id AND hold.kind = 'Pending')
        """;

    /// <summary>Admission: the unique (client, trackId) index decides, and a repeat is an empty result, not an error.</summary>
    public const string Admit = $"INSERT INTO call_log ({AdmitColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) {AdmitOnConflict} RETURNING id";

    /// <summary>
    /// The Pol rail's admission. Like <see cref="Admit"/>, and a call that a gateway's end cut off before it held any
    /// money (<see cref="CallState.Interrupted"/>, no hold under its trackId) is admitted again for the same request, so
    /// a retry runs it afresh: nothing of the first run can move money any more, because its admission and its hold
    /// were one commit and its process is gone. Only one of several concurrent retries gets the row back.
    /// </summary>
    public const string AdmitPayment = $"INSERT INTO call_log ({AdmitColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) {AdmitPaymentOnConflict} RETURNING id";

    /// <summary>
    /// A read cut off by a gateway's end runs again on a retry: it changed nothing, so running it afresh is exact.
    /// The state in the WHERE makes one of several concurrent retries the one that runs.
    /// </summary>
    public const string Readmit = """
        UPDATE call_log SET state = @p0, started_utc = @p1, node_id = @p7
        WHERE client_id = @p2 AND track_id = @p3 AND state = 'Interrupted' AND request_sha256 = @p4 AND route = @p5 AND method = @p6
        RETURNING id
        """;

    /// <summary>
    /// A write cut off before any of its commits runs again on a retry, as a read does; the flag in the WHERE (set in
    /// the write's own transaction) is what says nothing of it committed.
    /// </summary>
    public const string ReadmitUncommitted = """
        UPDATE call_log SET state = @p0, started_utc = @p1, node_id = @p7
        WHERE client_id = @p2 AND track_id = @p3 AND state = 'Interrupted' AND request_sha256 = @p4 AND route = @p5 AND method = @p6
          AND NOT is_work_committed
        RETURNING id
        """;

    /// <summary>Run inside a write's transaction, just before its commit (<see cref="CallLogMetadata.RerunsUncommittedWrites"/>).</summary>
    public const string MarkWorkCommitted = "UPDATE call_log SET is_work_committed = @p0 WHERE id = @p1";

    /// <summary>The answer a retry gave an interrupted call once its outcome was final; false (no row) when another retry stored one first.</summary>
    public const string CompleteInterrupted = """
        UPDATE call_log SET state = @p0, response_status = @p1, response_content_type = @p2, response_body = @p3,
            response_sha256 = @p4, completed_utc = @p5
        WHERE id = @p6 AND state = 'Interrupted'
        RETURNING id
        """;

    /// <summary>Calls whose answer this node could not store (the database went away): they become interrupted, so a retry is answered.</summary>
    public const string MarkInterrupted = "UPDATE call_log SET state = 'Interrupted' WHERE id = @p0 AND state = 'InProgress'";

    /// <summary>A call answered without any other write (refused before money was touched): admitted and completed at once.</summary>
    public const string Record = """
        INSERT INTO call_log (client_id, track_id, method, route, request_sha256, state, started_utc,
            response_status, response_content_type, response_body, response_sha256, completed_utc, node_id)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12)
        ON CONFLICT (client_id, track_id) DO NOTHING RETURNING id
        """;

    /// <summary>
    /// A call's answer, stored once: a call already completed keeps its answer. (A Kilid write's commit stores its
    /// answer with the work; if that commit's reply is lost, the 503 or 408 the caller is told must not replace it.)
    /// </summary>
    public const string Complete = """
        UPDATE call_log SET state = @p0, response_status = @p1, response_content_type = @p2, response_body = @p3,
            response_sha256 = @p4, completed_utc = @p5
        WHERE id = @p6 AND state <> 'Completed'
        """;

    public static object?[] AdmitValues(CallRecord call, SqlDialect dialect)
        =>
        [
            call.ClientId, call.TrackId, call.Method, call.Route, call.RequestSha256, CallState.InProgress.ToString(),
            dialect.Instant(call.StartedUtc), call.NodeId,
        ];

    public static object?[] ReadmitValues(CallRecord call, SqlDialect dialect)
        => [CallState.InProgress.ToString(), dialect.Instant(call.StartedUtc), call.ClientId, call.TrackId, call.RequestSha256, call.Route, call.Method,
            call.NodeId];

    public static object?[] RecordValues(CallRecord call, int status, string? contentType, byte[] body, DateTimeOffset nowUtc, SqlDialect dialect)
        =>
        [
            call.ClientId, call.TrackId, call.Method, call.Route, call.RequestSha256, CallState.Completed.ToString(),
            dialect.Instant(call.StartedUtc), status, contentType, body, Sha256(body), dialect.Instant(nowUtc), call.NodeId,
        ];

    public static object?[] CompleteValues(long callId, int status, string? contentType, byte[] body, DateTimeOffset nowUtc, SqlDialect dialect)
    {
        Invariant.Holds(body.Length <= Platform.Limits.StoredResponseBytesMax);
        return [CallState.Completed.ToString(), status, contentType, body, Sha256(body), dialect.Instant(nowUtc), callId];
    }

    private static readonly string AdmitManyRows = $"INSERT INTO call_log ({AdmitColumns}) SELECT * FROM "
        + SqlDialect.Unnest("text", "text", "text", "text", "text", "text", "timestamptz", "text") + " ";

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
    public static void AddAdmissions(SqlStep step, SqlDialect dialect, IReadOnlyList<CallRecord> calls, bool isPayment, Action<int, long> admitted)
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
                step.Add(isPayment ? AdmitPayment : Admit, reader => admitted(index, reader.GetInt64(0)), AdmitValues(calls[i], dialect));
            }
            return;
        }
        // Only the first call with a key goes in the statement: a later one is a repeat of it whatever the database
        // holds (and PostgreSQL refuses an ON CONFLICT DO UPDATE that meets a row the same statement inserted). A
        // repeat returns nothing, so rows are matched by their key.
        var first = new Dictionary<(string ClientId, string TrackId), int>();
        for (var i = calls.Count - 1; i >= 0; i--)
        {
            first[(calls[i].ClientId, calls[i].TrackId)] = i;
        }
        var rows = first.Values.Order().Select(i => AdmitValues(calls[i], dialect)).ToList();
        step.Add(AdmitManyRows + (isPayment ? AdmitPaymentOnConflict : AdmitOnConflict) + " RETURNING id, client_id, track_id",
            reader => admitted(first[(reader.GetString(1), reader.GetString(2))], reader.GetInt64(0)),
            SqlDialect.Column<string>(rows, 0), SqlDialect.Column<string>(rows, 1), SqlDialect.Column<string>(rows, 2),
            SqlDialect.Column<string>(rows, 3), SqlDialect.Column<string>(rows, 4), SqlDialect.Column<string>(rows, 5),
            SqlDialect.Column<DateTimeOffset>(rows, 6), SqlDialect.Column<string?>(rows, 7));
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
