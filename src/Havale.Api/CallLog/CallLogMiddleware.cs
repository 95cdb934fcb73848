using System.Security.Cryptography;

namespace Havale.Api.CallLog;

/// <summary>Endpoint metadata: calls to this endpoint are recorded per (client, trackId) and replayed on retry.</summary>
public sealed class CallLogMetadata
{
    public static readonly CallLogMetadata Instance = new(isAdmittedByHandler: false, rerunsUncommittedWrites: false);
    public static readonly CallLogMetadata AdmittedByHandler = new(isAdmittedByHandler: true, rerunsUncommittedWrites: false);
    public static readonly CallLogMetadata WritesThroughRequestDb = new(isAdmittedByHandler: false, rerunsUncommittedWrites: true);

    private CallLogMetadata(bool isAdmittedByHandler, bool rerunsUncommittedWrites)
    {
        IsAdmittedByHandler = isAdmittedByHandler;
        RerunsUncommittedWrites = rerunsUncommittedWrites;
    }

    /// <summary>
    /// Every write the handler makes commits through the request's own <see cref="HavaleDb"/> (the Kilid order
    /// writes): each of its commits marks the call's work committed in the same transaction, so a call a gateway's end
    /// cut off before any commit changed nothing, and a retry runs it afresh instead of being told 409. Only for
    /// handlers whose every write goes through that context; a write elsewhere would not be marked.
    /// </summary>
    public bool RerunsUncommittedWrites { get; }

    /// <summary>
    /// The handler admits the call inside its own first transaction and stores the answer inside its last (the Pol
    /// rail: admission, caps and hold in one commit; settlement and answer in the next), through <see cref="CallAdmission"/>.
    /// </summary>
    public bool IsAdmittedByHandler { get; }
}

public enum CallAdmissionState
{
    /// <summary>The handler answered without admitting the call (refused before any write): the log records it after.</summary>
    NotAdmitted,
    /// <summary>Admitted in the handler's transaction; its answer is not stored yet.</summary>
    Admitted,
    /// <summary>The trackId was used before: the handler did nothing, and the first call's answer is given back.</summary>
    AlreadyCalled,
    /// <summary>Admitted and answered, both stored by the handler.</summary>
    Completed,
    /// <summary>
    /// The handler gave the answer and stored what it could: a retry of an interrupted call answered from the ledger
    /// (stored once the outcome is final), or an outcome the database went away before it could be stored. The log
    /// only sends it.
    /// </summary>
    Answered,
}

/// <summary>A call whose admission its handler makes (<see cref="CallLogMetadata.IsAdmittedByHandler"/>): what to admit, and how it went.</summary>
public sealed class CallAdmission(CallRecord call)
{
    public CallRecord Call { get; } = call;
    public CallAdmissionState State { get; private set; } = CallAdmissionState.NotAdmitted;
    public long CallId { get; private set; }

    public void MarkAdmitted(long callId)
    {
        Invariant.Holds(State == CallAdmissionState.NotAdmitted && callId > 0);
        State = CallAdmissionState.Admitted;
        CallId = callId;
    }

    public void MarkAlreadyCalled()
    {
        Invariant.Holds(State == CallAdmissionState.NotAdmitted);
        State = CallAdmissionState.AlreadyCalled;
    }

    public void MarkCompleted()
    {
        Invariant.Holds(State == CallAdmissionState.Admitted);
        State = CallAdmissionState.Completed;
    }

    public void MarkAnswered()
    {
        Invariant.Holds(State is CallAdmissionState.NotAdmitted or CallAdmissionState.Admitted);
        State = CallAdmissionState.Answered;
    }
}

/// <summary>Who the call is made for: the client of the request's validated token (Auth.TokenCallerClient).</summary>
public interface ICallerClient
{
    string? Find(HttpContext context);
}

public static class CallLogEndpointExtensions
{
    public static TBuilder WithCallLog<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(CallLogMetadata.Instance);

    /// <summary>The call log of an endpoint whose every write commits through the request's HavaleDb (see <see cref="CallLogMetadata.RerunsUncommittedWrites"/>).</summary>
    public static TBuilder WithCallLogOfRequestDbWrites<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(CallLogMetadata.WritesThroughRequestDb);

    /// <summary>The call log of an endpoint that admits its calls in its own transaction (see <see cref="CallAdmission"/>).</summary>
    public static TBuilder WithCallLogAdmittedByHandler<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(CallLogMetadata.AdmittedByHandler);
}

/// <summary>
/// Records every call that carries a trackId, and makes a repeated trackId safe:
/// the same client sending the same request again gets the first response back, byte for byte, without the handler
/// running again; the same trackId with a different request is a conflict; a retry that arrives while the first call
/// still runs waits for it. Admission is an INSERT under the unique (client, trackId) index — never check-then-insert —
/// so two calls arriving at the same moment cannot both run.
/// </summary>
public sealed class CallLogMiddleware(RequestDelegate next, ICallerClient callerClient, TimeProvider clock, UnansweredCalls unanswered,
    GatewayNodes nodes, CrashDrill drill)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var metadata = endpoint?.Metadata.GetMetadata<CallLogMetadata>();
        var trackId = context.GetTrackId();
        var clientId = callerClient.Find(context);
        if (metadata is null || trackId.IsGenerated || string.IsNullOrEmpty(clientId))
        {
            await next(context);
            return;
        }

        var requestSha256 = await HashRequestAsync(context.Request);
        var record = new CallRecord
        {
            ClientId = clientId,
            TrackId = trackId.Value.Value,
            Method = context.Request.Method,
            Route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "",
            RequestSha256 = requestSha256,
            State = CallState.InProgress,
            StartedUtc = clock.GetUtcNow(),
            NodeId = nodes.Id,
        };
        var factory = context.RequestServices.GetRequiredService<IDbContextFactory<HavaleDb>>();
        var admission = metadata.IsAdmittedByHandler ? new CallAdmission(record) : null;
        if (admission is not null)
        {
            context.Features.Set(admission);
        }
        else if (await AdmitAsync(factory, record, context.RequestAborted) is { } callId)
        {
            record.Id = callId;
        }
        else if (await AnswerRepeatAsync(context, factory, record, metadata.RerunsUncommittedWrites) is { } readmittedId)
        {
            record.Id = readmittedId;
        }
        else
        {
            return;
        }

        // From here the call runs to its end even if the caller hangs up: its work and its stored answer must agree,
        // and a retry must get that answer (not an empty one from a handler cancelled half-way).
        var callerAborted = context.RequestAborted;
        context.RequestAborted = CancellationToken.None;
        var originalBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        var requestDb = metadata.RerunsUncommittedWrites ? context.RequestServices.GetRequiredService<HavaleDb>() : null;
        CallCommits? commits = null;
        if (requestDb is not null)
        {
            commits = new CallCommits(record.Id, record.TrackId, SqlDialect.Of(requestDb), clock, drill);
            context.Features.Set(commits);
            requestDb.CommitHook = commits;
        }
        try
        {
            // Exceptions inside have already become envelopes (an inner EnvelopeExceptionHandler), so what is
            // captured here is exactly what the caller gets, failures included: a failed call's outcome sticks to its trackId.
            await next(context);
        }
        finally
        {
            context.Response.Body = originalBody;
            if (requestDb is not null)
            {
                requestDb.CommitHook = null;
            }
        }

        var body = captured.ToArray();
        Invariant.Holds(body.Length <= Limits.StoredResponseBytesMax);
        switch (admission?.State)
        {
            case null when commits is { IsCommitUnanswered: true }:
                // The write's commit was never answered: its work and its answer may be on disk, or neither. Whatever
                // the handler made of the failure (a 503 says "nothing happened") is not the answer. The caller is
                // told the outcome is unknown; the call is marked interrupted once the database answers, unless the
                // commit did happen and completed it, so the retry gets the stored answer or runs afresh.
                unanswered.Add(record.Id);
                ConnectionPools.ClearAfterFault(context.RequestServices);
                context.Response.Clear();
                await EnvelopeExceptionHandler.WriteFailureAsync(context, StatusCodes.Status408RequestTimeout, ErrorCode.Timeout,
                    $"the database did not confirm this write; its outcome is not known yet. Send the same call again with trackId {record.TrackId} to get it");
                return;
            case null when commits?.CommittedAnswer is { } stored:
                // Completed by the write's own commit; what the caller gets is what was stored with it.
                Invariant.Holds(stored.Status == context.Response.StatusCode && stored.ContentType == context.Response.ContentType
                    && stored.Body.AsSpan().SequenceEqual(body));
                break;
            case null:
                // Completion must be written even if the caller has gone: the work is done and a retry must see it.
                await CompleteAsync(factory, record.Id, context.Response, body);
                break;
            case CallAdmissionState.Completed or CallAdmissionState.Answered:
                break;
            case CallAdmissionState.Admitted:
                await CompleteAsync(factory, admission.CallId, context.Response, body);
                break;
            case CallAdmissionState.AlreadyCalled:
                context.Response.Clear();
                // The handler's own admission readmits what may run again; here the first call's answer is all there is.
                Invariant.Holds(await AnswerRepeatAsync(context, factory, record, rerunsUncommittedWrites: false) is null);
                return;
            case CallAdmissionState.NotAdmitted:
                if (!await RecordAsync(factory, record, context.Response, body))
                {
                    // Another call with this trackId was recorded first; its answer is the one, not this one.
                    context.Response.Clear();
                    Invariant.Holds(await AnswerRepeatAsync(context, factory, record, rerunsUncommittedWrites: false) is null);
                    return;
                }
                break;
        }
        await originalBody.WriteAsync(body, callerAborted);
    }

    /// <summary>One INSERT that the unique (client, trackId) index decides: the call's id, or null for a trackId seen before.</summary>
    private static Task<long?> AdmitAsync(IDbContextFactory<HavaleDb> factory, CallRecord record, CancellationToken cancellationToken)
        => IdOfAsync(factory, CallLogSql.Admit, dialect => CallLogSql.AdmitValues(record, dialect), cancellationToken);

    /// <summary>One statement that returns the id of the row it took, or nothing.</summary>
    private static async Task<long?> IdOfAsync(IDbContextFactory<HavaleDb> factory, string sql, Func<SqlDialect, object?[]> values,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        long? id = null;
        await RunAsync(db, step => step.Add(sql, reader => id = reader.GetInt64(0), values(SqlDialect.Of(db))), cancellationToken);
        return id;
    }

    /// <summary>Admits and completes a call in one INSERT; false when its trackId was seen before.</summary>
    private async Task<bool> RecordAsync(IDbContextFactory<HavaleDb> factory, CallRecord record, HttpResponse response, byte[] body)
    {
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        var recorded = false;
        await RunAsync(db, step => step.Add(CallLogSql.Record, _ => recorded = true,
            CallLogSql.RecordValues(record, response.StatusCode, response.ContentType, body, clock.GetUtcNow(), SqlDialect.Of(db))),
            CancellationToken.None);
        return recorded;
    }

    private async Task CompleteAsync(IDbContextFactory<HavaleDb> factory, long callId, HttpResponse response, byte[] body)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            await RunAsync(db, step => step.Add(CallLogSql.Complete,
                CallLogSql.CompleteValues(callId, response.StatusCode, response.ContentType, body, clock.GetUtcNow(), SqlDialect.Of(db))),
                CancellationToken.None);
        }
        catch (Exception exception) when (DatabaseFaults.IsUnavailable(exception))
        {
            // Left in progress, the trackId would wait for an answer that never comes; interrupted, a retry is answered.
            unanswered.Add(callId);
            throw;
        }
    }

    /// <summary>One statement on its own: no transaction of its own is needed, the statement is atomic.</summary>
    private static async Task RunAsync(HavaleDb db, Action<SqlStep> build, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var step = new SqlStep(db.Database.GetDbConnection(), null);
            build(step);
            await step.RunAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Answers a trackId seen before with the first call's answer; or, when the first call was a read cut off by a
    /// gateway's end, admits this one in its place and returns its id, so that it runs afresh.
    /// </summary>
    private async Task<long?> AnswerRepeatAsync(HttpContext context, IDbContextFactory<HavaleDb> factory, CallRecord attempt, bool rerunsUncommittedWrites)
    {
        var first = await CallLogReads.FirstAnsweredAsync(factory, attempt, context.RequestAborted);
        if (!first.IsSameRequestAs(attempt))
        {
            throw new ApiProblem(ErrorCode.Conflict,
                $"trackId {attempt.TrackId} was already used for a different request; use a new trackId for a new call");
        }
        switch (first.State)
        {
            case CallState.Completed:
                context.Response.StatusCode = first.ResponseStatus ?? StatusCodes.Status200OK;
                context.Response.ContentType = first.ResponseContentType;
                context.Response.Headers["X-Havale-Replayed"] = "true";
                await context.Response.Body.WriteAsync(first.ResponseBody ?? [], context.RequestAborted);
                return null;
            case CallState.Interrupted when HttpMethods.IsGet(attempt.Method) && await ReadmitAsync(factory, attempt, context.RequestAborted) is { } id:
                return id;
            case CallState.Interrupted when HttpMethods.IsGet(attempt.Method):
                // Another retry readmitted it a moment ago: its answer is the one.
                return await AnswerRepeatAsync(context, factory, attempt, rerunsUncommittedWrites);
            case CallState.Interrupted when rerunsUncommittedWrites && !first.IsWorkCommitted
                && await ReadmitUncommittedAsync(factory, attempt, context.RequestAborted) is { } id:
                // A write cut off before any of its commits: it changed nothing, so it runs afresh.
                return id;
            case CallState.Interrupted when rerunsUncommittedWrites && !first.IsWorkCommitted:
                return await AnswerRepeatAsync(context, factory, attempt, rerunsUncommittedWrites);
            case CallState.Interrupted:
                // A write whose work committed without its answer: one that does not mark its commits, or a Kilid
                // write whose handler did not give its answer to the commit (WriteAnswers). Running it again could do
                // it twice, and its answer cannot be rebuilt here. instantPayment never gets here: its rail answers an
                // interrupted payment from the ledger; the Kilid writes store their answer with their commit.
                throw new ApiProblem(ErrorCode.Conflict,
                    $"the call with trackId {attempt.TrackId} was interrupted by a restart of the gateway; ask transactionInquiry for its outcome");
            case CallState.InProgress:
                throw new ApiProblem(ErrorCode.Conflict,
                    $"a call with trackId {attempt.TrackId} is still in progress; ask again later or use transaction inquiry");
        }
        throw new InvariantViolationException($"invariant failed: a call in state {first.State}");
    }

    private static Task<long?> ReadmitAsync(IDbContextFactory<HavaleDb> factory, CallRecord attempt, CancellationToken cancellationToken)
        => IdOfAsync(factory, CallLogSql.Readmit, dialect => CallLogSql.ReadmitValues(attempt, dialect), cancellationToken);

    private static Task<long?> ReadmitUncommittedAsync(IDbContextFactory<HavaleDb> factory, CallRecord attempt, CancellationToken cancellationToken)
        => IdOfAsync(factory, CallLogSql.ReadmitUncommitted, dialect => CallLogSql.ReadmitValues(attempt, dialect), cancellationToken);

    /// <summary>
    /// The request's identity for "same request": method, path, the query without trackId, and the body's bytes.
    /// Byte-exact on purpose: a client that retries re-sends what it sent.
    /// </summary>
    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: Limits.RequestBodyBytesMax);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        foreach (var (key, values) in request.Query.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!string.Equals(key, TrackIdEndpointExtensions.QueryParameter, StringComparison.Ordinal))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{key}={string.Join(',', values.ToArray())}\n"));
            }
        }
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
