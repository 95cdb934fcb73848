using Havale.Api.Platform;
using Havale.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
        return routes;
    }

    private static async Task<Results<JsonHttpResult<SuccessEnvelope<HealthResult>>, JsonHttpResult<FailureEnvelope>>> CheckAsync(
        HttpContext context, IDbContextFactory<HavaleDb> dbFactory, StorageInfo storage, Sandbox.SandboxOptions sandbox,
        CancellationToken cancellationToken)
    {
        var database = storage.Provider.ToString().ToLowerInvariant();
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await db.Database.CanConnectAsync(cancellationToken))
            {
                return Envelopes.Ok(context, new HealthResult("healthy", database, sandbox.Enabled));
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILogger<HealthResult>>().LogWarning(exception, "Health check could not reach the database");
        }
        return Envelopes.Fail(context, ErrorCode.ServiceUnavailable, $"the {database} database does not answer");
    }
}
