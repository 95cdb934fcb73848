using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.Health;

public sealed record HealthResult(string Status, string Database, bool Sandbox);

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", CheckAsync)
            .WithName("Health")
            .WithSummary("Whether the gateway and its database answer.")
            .WithTags("Platform");
        // For an orchestrator: ready means "send me calls" (the database answers), live means "do not restart me". A node
        // whose database is away is not ready but is alive: restarting it would not bring the database back, and it
        // serves again by itself when the database does.
        routes.MapGet("/health/ready", CheckAsync)
            .WithName("HealthReady")
            .WithSummary("Whether this node can serve calls now: its database answers. 503 while it does not.")
            .WithTags("Platform");
        routes.MapGet("/health/live", Live)
            .WithName("HealthLive")
            .WithSummary("Whether the process is up; it asks nothing of the database.")
            .WithTags("Platform");
        return routes;
    }

    private static JsonHttpResult<SuccessEnvelope<HealthResult>> Live(HttpContext context, StorageInfo storage, Sandbox.SandboxOptions sandbox)
        => Envelopes.Ok(context, new HealthResult("live", storage.Provider.ToString().ToLowerInvariant(), sandbox.Enabled));

    private static async Task<Results<JsonHttpResult<SuccessEnvelope<HealthResult>>, JsonHttpResult<FailureEnvelope>>> CheckAsync(
        HttpContext context, IDbContextFactory<HavaleDb> dbFactory, StorageInfo storage, Sandbox.SandboxOptions sandbox,
        CancellationToken cancellationToken)
    {
        var database = storage.Provider.ToString().ToLowerInvariant();
        try
        {
            // A statement, not only an open: a pooled connection that an outage reset opens without complaint, and
            // "ready" must mean the next call will be served.
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.OpenConnectionAsync(cancellationToken);
            await using var probe = db.Database.GetDbConnection().CreateCommand();
            probe.CommandText = "SELECT 1";
            await probe.ExecuteScalarAsync(cancellationToken);
            return Envelopes.Ok(context, new HealthResult("healthy", database, sandbox.Enabled));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            ConnectionPools.ClearAfterFault(context.RequestServices);
            context.RequestServices.GetRequiredService<ILogger<HealthResult>>().LogWarning("Health check could not reach the database: {Reason}",
                exception.GetBaseException().Message);
        }
        return Envelopes.Fail(context, ErrorCode.ServiceUnavailable, $"the {database} database does not answer");
    }
}
