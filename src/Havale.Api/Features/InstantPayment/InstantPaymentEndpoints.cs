using Havale.Api.Auth;
using Havale.Api.CallLog;
using Havale.Api.Ledger;
using Havale.Api.Platform.Telemetry;
using Havale.Api.Rails;
using Microsoft.AspNetCore.Http.HttpResults;
using Havale.Api.Rails.Pol;

namespace Havale.Api.Features.InstantPayment;

/// <summary>Every way instantPayment can be refused before or instead of moving money, in the order the rules are checked.</summary>
public enum InstantPaymentRefusal
{
    SameSourceAndDestination,
    AmountExceedsTokenLimit,
    BankNotInPol,
    PolClosed,
    SourceNotActive,
    DailyAmountExceeded,
    DailyBeneficiaryCountExceeded,
    InsufficientFunds,
}

public static class InstantPaymentEndpoints
{
    public const string SameAccountsMessage = "Source And destination accounts are the same!";
    public const string TokenLimitMessage = GrantRules.TokenLimitMessage;

    public static IEndpointRouteBuilder MapInstantPayment(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/oak/v2/clients/{clientId}")
            .WithTags("Pol")
            .WithCallLogAdmittedByHandler()
            .MapPost("/instantPayment", PayAsync)
            .RequireTrackId()
            .RequireFinnotechScope(Scopes.InstantPayment)
            .WithName("InstantPayment")
            // The handler answers with the stored bytes of its answer (the call log replays them), not a typed result.
            .Produces<InstantPaymentResponse>(StatusCodes.Status200OK)
            .WithSummary("Pol: pays an IBAN at another bank now, from the deposit the customer granted.");
        return routes;
    }

    /// <summary>
    /// The grant's own rules here, then the rail's ordered refusals and its two commits: the call is admitted in the
    /// rail's first (with the caps and the hold), and its answer is stored in the second (with the settlement).
    /// </summary>
    private static async Task<IResult> PayAsync(HttpContext context, InstantPaymentRequest body, FinnotechGrant grant,
        PaymentRails rails, TimeProvider clock, IDbContextFactory<HavaleDb> dbFactory, UnansweredCalls unanswered)
    {
        var startedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        if (grant.Type != FinnotechTokenType.Code)
        {
            throw new ApiProblem(ErrorCode.Forbidden, "instantPayment takes an authorization-code token of the paying customer");
        }
        var payment = InstantPaymentValidation.Validate(body);
        var source = ChooseSource(grant, payment.SourceDeposit);
        var trackId = context.CallTrackId();
        // The closed-hours answer names today's reopening time, which is later on the days the bank announces.
        var polReopensAtTehran = rails.PolHours.ReopensAtTehranOn(clock.GetUtcNow());
        if (Refusal(grant, payment, source) is { } early)
        {
            return Refuse(context, early, polReopensAtTehran);
        }

        var admission = context.Features.Get<CallAdmission>();
        var origin = new TransferOrigin(RailKind.Pol, grant.ClientId, grant.Nid.Value, trackId, Note: payment.Description);
        // Not the caller's cancellation: once the call is admitted with its hold, it runs to its answer and stores it,
        // so that a client that hung up and retries gets the outcome, not an empty answer.
        var started = await rails.StartPolAsync(source, payment.Destination, payment.Amount, origin, admission?.Call, CancellationToken.None);
        if (started.Result.Outcome == RailOutcome.AlreadyCalled)
        {
            var first = await CallLogReads.FirstAnsweredAsync(dbFactory, admission!.Call, CancellationToken.None);
            if (first.State == CallState.Interrupted && first.IsSameRequestAs(admission.Call)
                && await InterruptedPayments.OutcomeAsync(first, rails, CancellationToken.None) is { } outcome)
            {
                admission.MarkAnswered();
                var recovered = StoredAnswer.Of(Answer(context, payment, source, outcome, clock.GetUtcNow(), polReopensAtTehran));
                // An outcome not known yet is not stored: the next retry may find it known.
                if (outcome.Outcome == RailOutcome.Unknown || await InterruptedPayments.StoreAsync(dbFactory, first.Id, recovered, clock.GetUtcNow()))
                {
                    return recovered;
                }
                // Another retry stored its answer first: that one is the call's answer, here as everywhere.
                return await ReplayAsync(dbFactory, admission.Call);
            }
            admission.MarkAlreadyCalled();
            return Results.Empty;
        }
        if (started.Result.Outcome == RailOutcome.Unknown && started.HoldId == 0)
        {
            // The first commit was never answered: the hold may be on disk, so the caller is told 408 (do not pay
            // again), not 503. Nothing is stored; marked interrupted once the database answers, the call's retry is
            // given the payment's outcome from the ledger, or runs afresh if nothing was held.
            if (started.CallId != 0)
            {
                unanswered.Add(started.CallId);
            }
            ConnectionPools.ClearAfterFault(context.RequestServices);
            admission?.MarkAnswered();
            Measure(RailOutcome.Unknown, startedTimestamp);
            return Answer(context, payment, source, started.Result, clock.GetUtcNow(), polReopensAtTehran);
        }
        if (started.CallId != 0)
        {
            admission!.MarkAdmitted(started.CallId);
        }
        var stored = StoredAnswer.Of(Answer(context, payment, source, started.Result, clock.GetUtcNow(), polReopensAtTehran));
        try
        {
            await rails.FinishPolAsync(started, started.CallId == 0 ? null
                : new CallAnswer(started.CallId, stored.Status, stored.ContentType, stored.Body, clock.GetUtcNow()));
        }
        catch (Exception exception) when (started.CallId != 0 && DatabaseFaults.IsUnavailable(exception))
        {
            // The second commit did not happen: the call's answer is not stored, and a held payment is left to
            // recovery. Marked interrupted once the database is back, a retry then gets the payment's answer.
            unanswered.Add(started.CallId);
            if (started.HoldId == 0)
            {
                // Nothing was held: the caller is told 503, and the retry runs afresh.
                throw;
            }
            admission!.MarkAnswered();
            Measure(RailOutcome.Unknown, startedTimestamp);
            return Answer(context, payment, source, started.Result with { Outcome = RailOutcome.Unknown }, clock.GetUtcNow(), polReopensAtTehran);
        }
        if (started.CallId != 0)
        {
            admission!.MarkCompleted();
        }
        Measure(started.Result.Outcome, startedTimestamp);
        return stored;
    }

    /// <summary>A payment the rail decided (not a replay, not a refusal of the grant's own): its outcome and the call's latency.</summary>
    private static void Measure(RailOutcome outcome, long startedTimestamp)
    {
        HavaleMetrics.Payment(RailKind.Pol, outcome);
        HavaleMetrics.PaymentCall(PaymentOperation.InstantPayment, outcome, startedTimestamp);
    }

    /// <summary>The call's stored answer, byte for byte (another retry of an interrupted call stored it).</summary>
    private static async Task<IResult> ReplayAsync(IDbContextFactory<HavaleDb> dbFactory, CallRecord attempt)
    {
        var first = await CallLogReads.FirstAnsweredAsync(dbFactory, attempt, CancellationToken.None);
        Invariant.Holds(first.State == CallState.Completed);
        return new StoredAnswer(first.ResponseStatus ?? StatusCodes.Status200OK, first.ResponseContentType ?? "application/json", first.ResponseBody ?? []);
    }

    internal static IResult Answer(HttpContext context, ValidInstantPayment payment, DepositNumber source, RailResult result,
        DateTimeOffset now, TimeOnly polReopensAtTehran) => result.Outcome switch
    {
        RailOutcome.Done => Answer(context, payment, source, result, now, "DONE", " "),
        RailOutcome.Rejected or RailOutcome.Unavailable => Answer(context, payment, source, result, now, "FAILED",
            result.Reason ?? "the destination bank refused the payment"),
        RailOutcome.Unknown => Envelopes.Fail(context, ErrorCode.Timeout,
            $"the destination bank did not answer in time; the money is held until it does. Do not pay again: ask transactionInquiry with inquiryTrackId={context.CallTrackId()}"),
        RailOutcome.InsufficientFunds => Refuse(context, InstantPaymentRefusal.InsufficientFunds, polReopensAtTehran),
        RailOutcome.DailyAmountExceeded => Refuse(context, InstantPaymentRefusal.DailyAmountExceeded, polReopensAtTehran),
        RailOutcome.DailyBeneficiaryCountExceeded => Refuse(context, InstantPaymentRefusal.DailyBeneficiaryCountExceeded, polReopensAtTehran),
        RailOutcome.RailClosed => Refuse(context, InstantPaymentRefusal.PolClosed, polReopensAtTehran),
        RailOutcome.BankNotOnRail => Refuse(context, InstantPaymentRefusal.BankNotInPol, polReopensAtTehran),
        RailOutcome.SourceNotActive or RailOutcome.SourceNotFound => Refuse(context, InstantPaymentRefusal.SourceNotActive, polReopensAtTehran),
        RailOutcome.DestinationNotFound or RailOutcome.DestinationNotActive or RailOutcome.AlreadyCalled =>
            throw new InvariantViolationException($"invariant failed: Pol does not end a call as {result.Outcome}"),
    };

    /// <summary>The grant's own limits; everything else is the rail's, in its order.</summary>
    private static InstantPaymentRefusal? Refusal(FinnotechGrant grant, ValidInstantPayment payment, DepositNumber source)
    {
        // The seed's own example pays a host-bank IBAN that is the source itself, so "same account" comes first.
        if (payment.Destination.HostDeposit is { } destinationDeposit && destinationDeposit == source)
        {
            return InstantPaymentRefusal.SameSourceAndDestination;
        }
        if (payment.Amount.AmountRials > grant.MaxAmountPerTransactionRials)
        {
            return InstantPaymentRefusal.AmountExceedsTokenLimit;
        }
        return null;
    }

    private static DepositNumber ChooseSource(FinnotechGrant grant, DepositNumber? asked)
    {
        if (asked is { } deposit)
        {
            return grant.HasDeposit(deposit)
                ? deposit
                : throw new ApiProblem(ErrorCode.Forbidden, "sourceDeposit: this token does not grant that deposit");
        }
        return grant.Deposits.Count > 0
            ? grant.Deposits[0]
            : throw new ApiProblem(ErrorCode.Forbidden, "this token grants no deposit to pay from");
    }

    private static JsonHttpResult<FailureEnvelope> Refuse(HttpContext context, InstantPaymentRefusal refusal, TimeOnly polReopensAtTehran) => refusal switch
    {
        InstantPaymentRefusal.SameSourceAndDestination => Envelopes.Fail(context, ErrorCode.ValidationError, SameAccountsMessage),
        InstantPaymentRefusal.AmountExceedsTokenLimit => Envelopes.Fail(context, ErrorCode.ValidationError, TokenLimitMessage),
        InstantPaymentRefusal.BankNotInPol => Envelopes.Fail(context, ErrorCode.ValidationError,
            "destinationNumber: the destination bank does not take Pol payments"),
        InstantPaymentRefusal.PolClosed => Envelopes.Fail(context, ErrorCode.ServiceUnavailable,
            $"Pol is closed from 00:00 to {polReopensAtTehran:HH\\:mm} Tehran time; no money was moved"),
        InstantPaymentRefusal.SourceNotActive => Envelopes.Fail(context, ErrorCode.ValidationError, "the source deposit is not active"),
        InstantPaymentRefusal.DailyAmountExceeded => Envelopes.Fail(context, ErrorCode.ValidationError,
            "daily Pol amount limitation exceeded for this customer"),
        InstantPaymentRefusal.DailyBeneficiaryCountExceeded => Envelopes.Fail(context, ErrorCode.ValidationError,
            "daily Pol payments limitation to this destination exceeded"),
        InstantPaymentRefusal.InsufficientFunds => Envelopes.Fail(context, ErrorCode.ValidationError, "insufficient balance in the source deposit"),
    };

    private static JsonHttpResult<InstantPaymentResponse> Answer(HttpContext context, ValidInstantPayment payment, DepositNumber source,
        RailResult result, DateTimeOffset now, string state, string message)
        => TypedResults.Json(new InstantPaymentResponse
        {
            Amount = payment.Amount.AmountRials,
            Description = payment.Description,
            ReasonDescription = payment.Reason.Code,
            DestinationFirstname = payment.DestinationFirstname,
            DestinationLastname = payment.DestinationLastname,
            DestinationIban = payment.Destination.Value,
            InquiryDate = Jalali.PolDate(now),
            InquirySequence = result.TransferId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            InquiryTime = Jalali.PolTime(now),
            Message = message,
            SourceNumber = source.Value,
            OriginKey = result.Reference!,
            State = state,
            TrackId = context.CallTrackId(),
        }, HavaleJson.Options);
}
