using System.Text.Json;
using Havale.Api.Auth;
using Havale.Api.CallLog;
using Havale.Api.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.Inquiry;

/// <summary>transactionInquiry's result (Havale's design, spec §3.3): the original call's answer and what became of it since.</summary>
public sealed record TransactionInquiryResult(
    string InquiryTrackId,
    string State,
    string Route,
    string CallDate,
    int? HttpStatus,
    string? OriginKey,
    long? AmountRials,
    JsonElement? Response);

public static class TransactionInquiryEndpoints
{
    public static IEndpointRouteBuilder MapTransactionInquiry(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/oak/v2/clients/{clientId}")
            .WithTags("Inquiry")
            .WithCallLog()
            .MapGet("/transactionInquiry", InquireAsync)
            .RequireFinnotechScope(Scopes.TransactionInquiry)
            .WithName("TransactionInquiry")
            .WithSummary("What became of the call made with inquiryTrackId: DONE, FAILED, PENDING or UNKNOWN.");
        return routes;
    }

    private static async Task<Results<JsonHttpResult<SuccessEnvelope<TransactionInquiryResult>>, JsonHttpResult<FailureEnvelope>>> InquireAsync(
        HttpContext context, string? inquiryTrackId, FinnotechGrant grant, HavaleDb db, CancellationToken cancellationToken)
    {
        if (!TrackId.TryParse(inquiryTrackId, out var asked, out var error))
        {
            throw ApiProblem.Field("inquiryTrackId", error);
        }
        // Only the client that made the call may ask about it: the client is part of the lookup, so another's
        // trackId answers exactly like one that was never used.
        var call = await db.CallRecords.AsNoTracking()
            .SingleOrDefaultAsync(record => record.ClientId == grant.ClientId && record.TrackId == asked.Value, cancellationToken);
        if (call is null)
        {
            return Envelopes.Fail(context, ErrorCode.NotFound, $"inquiryTrackId: no call of this client has trackId {asked.Value}");
        }
        var hold = await db.LedgerTransfers.AsNoTracking()
            .Where(transfer => transfer.ClientId == grant.ClientId && transfer.TrackId == asked.Value && transfer.Kind == TransferKind.Pending)
            .OrderBy(transfer => transfer.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var holdState = hold is null ? (HoldState?)null : await HoldStates.OfAsync(db, hold.Id, cancellationToken);
        var state = State(call, holdState);
        JsonElement? response = null;
        if (call.ResponseBody is { Length: > 0 } body && call.ResponseContentType?.Contains("json", StringComparison.Ordinal) == true)
        {
            response = JsonDocument.Parse(body).RootElement.Clone();
        }
        return Envelopes.Ok(context, new TransactionInquiryResult(asked.Value, state, call.Route, Jalali.KilidDateTime(call.StartedUtc),
            call.ResponseStatus, hold?.Reference, hold?.AmountRials, response));
    }

    /// <summary>The ledger knows best: a resolved hold is final; an open one is UNKNOWN until the bank answers.</summary>
    private static string State(CallRecord call, HoldState? hold)
    {
        if (hold == HoldState.Posted)
        {
            return "DONE";
        }
        if (hold == HoldState.Voided)
        {
            return "FAILED";
        }
        if (call.State == CallState.InProgress)
        {
            return "PENDING";
        }
        if (hold == HoldState.Open)
        {
            return "UNKNOWN";
        }
        return call.State switch
        {
            CallState.Completed => call.ResponseStatus is >= 200 and < 300 ? "DONE" : "FAILED",
            // Cut off before any money was held: nothing happened.
            CallState.Interrupted => "FAILED",
            CallState.InProgress => "PENDING",
        };
    }
}
