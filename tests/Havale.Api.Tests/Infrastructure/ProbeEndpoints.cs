using Havale.Api.Auth;
using Havale.Api.CallLog;
using Havale.Api.Platform;
using Havale.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Havale.Api.Tests.Infrastructure;

public sealed record ProbeRequest(Rials? Amount, string? Name, List<ProbeItem>? Items);

public sealed record ProbeItem(Rials? Amount, int? Order);

public sealed record ProbeResult(long AmountRials, string? Name, int Executions);

public sealed record ProbeBalance(string ClientId, string Nid, string Deposit, int Executions);

/// <summary>
/// Test-only routes shaped like a money-moving Finnotech call, so the platform's envelope, trackId and call-log rules
/// are tested through the real pipeline before any feature exists.
/// </summary>
public sealed class ProbeEndpoints : IEndpointModule
{
    private int _executions;

    public int Executions => Volatile.Read(ref _executions);

    public void Map(IEndpointRouteBuilder routes)
    {
        // Test scaffolding, not part of the gateway: kept out of the OpenAPI document that OpenApiDocumentTests checks.
        var group = routes.MapGroup("/probe/v2/clients/{clientId}").WithCallLog().ExcludeFromDescription();
        group.MapPost("/pay", async (string clientId, ProbeRequest body, HttpContext context, int? delayMs) =>
            {
                var executions = Interlocked.Increment(ref _executions);
                if (delayMs is > 0 and <= 5_000)
                {
                    await Task.Delay(delayMs.Value);
                }
                if (body.Amount is not { } amount)
                {
                    throw ApiProblem.Field("amount", "is required");
                }
                return Envelopes.Ok(context, new ProbeResult(amount.AmountRials, body.Name, executions));
            })
            .RequireTrackId()
            .RequireFinnotechScope(Scopes.InstantPayment);
        group.MapGet("/read", (HttpContext context) => Envelopes.Ok(context, new ProbeResult(0, null, Interlocked.Increment(ref _executions))))
            .RequireFinnotechScope(Scopes.IbanInquiry);
        group.MapPost("/explode", (HttpContext context) =>
        {
            Interlocked.Increment(ref _executions);
            throw new InvalidOperationException("secret internals: SELECT * FROM deposits");
        }).RequireTrackId().RequireFinnotechScope(Scopes.InstantPayment);
        // Shaped like Kilid's user-bound routes, so the path-binding rules (nid, deposit) are tested before Kilid exists.
        group.MapGet("/users/{nid}/deposits/{deposit}/balance", (HttpContext context, FinnotechGrant grant, string nid, string deposit) =>
                Envelopes.Ok(context, new ProbeBalance(grant.ClientId, nid, deposit, Interlocked.Increment(ref _executions))))
            .RequireFinnotechScope(Scopes.KilidDepositsGet);
    }
}
