using Havale.Api.Accounts;
using Havale.Api.Auth;
using Havale.Api.CallLog;
using Havale.Api.Features.InstantPayment;
using Havale.Api.Rails;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.Inquiry;

/// <summary>Why a Pol payment to an IBAN could not be made now; <see cref="None"/> when it can.</summary>
public enum PolObstacle
{
    None,
    BankNotInPol,
    PolClosed,
    AccountNotFound,
    AccountBlocked,
    AccountDormant,
    BankUnreachable,
    AmountOverDailyLimit,
}

/// <summary>polInquiry's result (Havale's design, spec §3.3).</summary>
public sealed record PolInquiryResult(
    string DestinationNumber,
    string BankCode,
    string? BankName,
    string? DestinationFirstname,
    string? DestinationLastname,
    long? Amount,
    bool IsPossible,
    string? ReasonCode,
    string? Reason);

public static class PolInquiryEndpoints
{
    public static IEndpointRouteBuilder MapPolInquiry(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/oak/v2/clients/{clientId}")
            .WithTags("Pol")
            .WithCallLog()
            .MapGet("/polInquiry", InquireAsync)
            .RequireFinnotechScope(Scopes.PolInquiry)
            .WithName("PolInquiry")
            .WithSummary("Whether a Pol payment to this IBAN (of this amount) can be made now, and to whom.");
        return routes;
    }

    private static async Task<JsonHttpResult<SuccessEnvelope<PolInquiryResult>>> InquireAsync(HttpContext context,
        string? destinationNumber, string? amount, FinnotechGrant grant, IbanLookup lookup, PaymentRails rails, PolOptions polOptions,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Iban.TryParse(destinationNumber, out var destination, out var ibanError))
        {
            throw ApiProblem.Field("destinationNumber", ibanError);
        }
        Rials? rials = null;
        if (amount is not null)
        {
            rials = Rials.TryParse(amount, out var parsed, out var amountError) ? parsed : throw ApiProblem.Field("amount", amountError);
        }
        var bank = Banks.Find(destination.BankCode);
        var now = clock.GetUtcNow();
        var obstacle = bank is not { IsPolParticipant: true } ? PolObstacle.BankNotInPol
            : !rails.PolHours.IsOpen(now) ? PolObstacle.PolClosed
            : rials is { } asked && asked.AmountRials > polOptions.DailyAmountRialsMax ? PolObstacle.AmountOverDailyLimit
            : PolObstacle.None;
        AccountOwner? owner = null;
        if (obstacle is PolObstacle.None or PolObstacle.PolClosed or PolObstacle.AmountOverDailyLimit)
        {
            var account = await lookup.LookUpAsync(destination, cancellationToken);
            owner = account.Owners?.FirstOrDefault();
            var accountObstacle = account.Outcome switch
            {
                LookupOutcome.NotFound => PolObstacle.AccountNotFound,
                LookupOutcome.Unreachable => PolObstacle.BankUnreachable,
                LookupOutcome.Found => account.Status switch
                {
                    AccountStatus.Blocked => PolObstacle.AccountBlocked,
                    AccountStatus.Dormant => PolObstacle.AccountDormant,
                    _ => PolObstacle.None,
                },
            };
            obstacle = obstacle == PolObstacle.None ? accountObstacle : obstacle;
        }
        return Envelopes.Ok(context, new PolInquiryResult(destination.Value, destination.BankCode, bank?.PersianName, owner?.FirstName,
            owner?.LastName, rials?.AmountRials, obstacle == PolObstacle.None, Code(obstacle), Describe(obstacle, rails.PolHours.ReopensAtTehranOn(now))));
    }

    private static string? Code(PolObstacle obstacle) => obstacle switch
    {
        PolObstacle.None => null,
        PolObstacle.BankNotInPol => "BANK_NOT_IN_POL",
        PolObstacle.PolClosed => "POL_CLOSED",
        PolObstacle.AccountNotFound => "ACCOUNT_NOT_FOUND",
        PolObstacle.AccountBlocked => "ACCOUNT_BLOCKED",
        PolObstacle.AccountDormant => "ACCOUNT_DORMANT",
        PolObstacle.BankUnreachable => "BANK_UNREACHABLE",
        PolObstacle.AmountOverDailyLimit => "AMOUNT_OVER_DAILY_LIMIT",
    };

    private static string? Describe(PolObstacle obstacle, TimeOnly polReopensAtTehran) => obstacle switch
    {
        PolObstacle.None => null,
        PolObstacle.BankNotInPol => "the destination bank does not take Pol payments",
        PolObstacle.PolClosed => $"Pol is closed from 00:00 to {polReopensAtTehran:HH\\:mm} Tehran time",
        PolObstacle.AccountNotFound => "the destination account does not exist",
        PolObstacle.AccountBlocked => "the destination account is blocked",
        PolObstacle.AccountDormant => "the destination account is dormant",
        PolObstacle.BankUnreachable => "the destination bank does not answer",
        PolObstacle.AmountOverDailyLimit => "the amount is over the daily Pol limit of one customer",
    };
}
