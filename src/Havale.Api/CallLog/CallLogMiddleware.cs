using System.Security.Cryptography;
using Havale.Api.Platform;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.CallLog;

/// <summary>Endpoint metadata: calls to this endpoint are recorded per (client, trackId) and replayed on retry.</summary>
public sealed class CallLogMetadata
{
    public static readonly CallLogMetadata Instance = new();
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
}

/// <summary>
/// Records every call that carries a trackId, and makes a repeated trackId safe:
/// the same client sending the same request again gets the first response back, byte for byte, without the handler
/// running again; the same trackId with a different request is a conflict; a retry that arrives while the first call
/// still runs waits for it. Admission is an INSERT under the unique (client, trackId) index — never check-then-insert —
/// so two calls arriving at the same moment cannot both run.
/// </summary>
public sealed class CallLogMiddleware(RequestDelegate next, ICallerClient callerClient, TimeProvider clock, ILogger<CallLogMiddleware> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var trackId = context.GetTrackId();
        var clientId = callerClient.Find(context);
        if (endpoint?.Metadata.GetMetadata<CallLogMetadata>() is null || trackId.IsGenerated || string.IsNullOrEmpty(clientId))
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
        };
        var factory = context.RequestServices.GetRequiredService<IDbContextFactory<HavaleDb>>();

        if (!await TryAdmitAsync(factory, record, context.RequestAborted))
        {
            await AnswerRepeatAsync(context, factory, record);
            return;
        }

        var originalBody = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            // Exceptions inside have already become envelopes (an inner EnvelopeExceptionHandler), so what is
            // captured here is exactly what the caller gets, failures included: a failed call's outcome sticks to its trackId.
            await next(context);
        }
        finally
        {
            context.Response.Body = originalBody;
        }

        var body = captured.ToArray();
        Invariant.Holds(body.Length <= Limits.StoredResponseBytesMax);
        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            // Completion must be written even if the caller has gone: the work is done and a retry must see it.
            await db.CallRecords.Where(call => call.Id == record.Id).ExecuteUpdateAsync(update => update
                .SetProperty(call => call.State, CallState.Completed)
                .SetProperty(call => call.ResponseStatus, context.Response.StatusCode)
                .SetProperty(call => call.ResponseContentType, context.Response.ContentType)
                .SetProperty(call => call.ResponseBody, body)
                .SetProperty(call => call.ResponseSha256, Convert.ToHexStringLower(SHA256.HashData(body)))
                .SetProperty(call => call.CompletedUtc, clock.GetUtcNow()), CancellationToken.None);
        }
        await originalBody.WriteAsync(body, context.RequestAborted);
    }

    private async Task<bool> TryAdmitAsync(IDbContextFactory<HavaleDb> factory, CallRecord record, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.CallRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException exception)
        {
            // Only the unique (client, trackId) index can refuse this insert; anything else is a real failure.
            if (!await ExistsAsync(factory, record, cancellationToken))
            {
                throw;
            }
            logger.LogDebug(exception, "trackId {TrackId} of client {ClientId} was seen before", record.TrackId, record.ClientId);
            return false;
        }
    }

    private static async Task<bool> ExistsAsync(IDbContextFactory<HavaleDb> factory, CallRecord record, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.CallRecords.AnyAsync(call => call.ClientId == record.ClientId && call.TrackId == record.TrackId, cancellationToken);
    }

    private async Task AnswerRepeatAsync(HttpContext context, IDbContextFactory<HavaleDb> factory, CallRecord attempt)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            CallRecord first;
            await using (var db = await factory.CreateDbContextAsync(context.RequestAborted))
            {
                first = await db.CallRecords.AsNoTracking()
                    .SingleAsync(call => call.ClientId == attempt.ClientId && call.TrackId == attempt.TrackId, context.RequestAborted);
            }
            if (first.RequestSha256 != attempt.RequestSha256 || first.Route != attempt.Route || first.Method != attempt.Method)
            {
                throw new ApiProblem(ErrorCode.Conflict,
                    $"trackId {attempt.TrackId} was already used for a different request; use a new trackId for a new call");
            }
            if (first.State == CallState.Completed)
            {
                context.Response.StatusCode = first.ResponseStatus ?? StatusCodes.Status200OK;
                context.Response.ContentType = first.ResponseContentType;
                context.Response.Headers["X-Havale-Replayed"] = "true";
                await context.Response.Body.WriteAsync(first.ResponseBody ?? [], context.RequestAborted);
                return;
            }
            if (first.State == CallState.Interrupted)
            {
                throw new ApiProblem(ErrorCode.Conflict,
                    $"the call with trackId {attempt.TrackId} was interrupted by a restart of the gateway; ask transactionInquiry for its outcome");
            }
            if (waited >= TimeSpan.FromMilliseconds(Limits.CallInProgressWaitMillisecondsMax))
            {
                throw new ApiProblem(ErrorCode.Conflict,
                    $"a call with trackId {attempt.TrackId} is still in progress; ask again later or use transaction inquiry");
            }
            // Real time, not the sandbox clock: this is how long a caller is kept waiting on the wire.
            await Task.Delay(PollInterval, context.RequestAborted);
            waited += PollInterval;
        }
    }

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
