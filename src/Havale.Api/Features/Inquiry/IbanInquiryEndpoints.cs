using Havale.Api.Accounts;
using Havale.Api.Auth;
using Havale.Api.CallLog;
using Havale.Api.Rails;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.Inquiry;

/// <summary>ibanInquiry's result, in the public shape pyfinnotech documents (note the upper-case <c>IBAN</c>).</summary>
public sealed record IbanInquiryResult(
    [property: System.Text.Json.Serialization.JsonPropertyName("IBAN")] string Iban,
    string? BankName,
    string? Deposit,
    string? DepositStatus,
    string? DepositDescription,
    string? DepositComment,
    IReadOnlyList<AccountOwner> DepositOwners,
    string AlertCode);

/// <summary>Finnotech's codes for ibanInquiry (spec §3.2).</summary>
public static class IbanInquiryCodes
{
    public const string AlertOk = "00";
    public const string AlertInvalidIban = "01";
    public const string AlertDestinationTimeout = "05";
    public const string AlertNotFound = "06";

    public static string DepositStatus(AccountStatus status) => status switch
    {
        AccountStatus.Active => "02",
        AccountStatus.Blocked => "04",
        AccountStatus.Dormant => "05",
    };

    public static string DepositDescription(AccountStatus status) => status switch
    {
        AccountStatus.Active => "حساب فعال است",
        AccountStatus.Blocked => "حساب مسدود است",
        AccountStatus.Dormant => "حساب راکد است",
    };
}

public static class IbanInquiryEndpoints
{
    public static IEndpointRouteBuilder MapIbanInquiry(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/oak/v2/clients/{clientId}")
            .WithTags("Inquiry")
            .WithCallLog()
            .MapGet("/ibanInquiry", InquireAsync)
            .RequireFinnotechScope(Scopes.IbanInquiry)
            .WithName("IbanInquiry")
            .WithSummary("Who holds an IBAN, at which bank, and whether it can receive money.");
        return routes;
    }

    private static async Task<JsonHttpResult<SuccessEnvelope<IbanInquiryResult>>> InquireAsync(HttpContext context, string? iban,
        FinnotechGrant grant, IbanLookup lookup, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(iban))
        {
            throw ApiProblem.Field("iban", "is required");
        }
        if (!Iban.TryParse(iban, out var parsed, out _))
        {
            return Envelopes.Ok(context, new IbanInquiryResult(iban.Length > Iban.Length ? iban[..Iban.Length] : iban,
                null, null, null, null, "شماره شبا نامعتبر است", [], IbanInquiryCodes.AlertInvalidIban));
        }
        var bank = Banks.Find(parsed.BankCode);
        if (bank is null)
        {
            return Envelopes.Ok(context, new IbanInquiryResult(parsed.Value, null, null, null, null, "بانک مقصد شناخته نشد", [],
                IbanInquiryCodes.AlertNotFound));
        }
        var account = await lookup.LookUpAsync(parsed, cancellationToken);
        // A host-bank IBAN carries a 13-digit deposit number whose leading zero belongs to it (it is the sourceNumber
        // instantPayment answers); another bank's account field is shown without its padding.
        var accountField = parsed.HostDeposit?.Value ?? parsed.Value[7..].TrimStart('0');
        return account.Outcome switch
        {
            LookupOutcome.Found => Envelopes.Ok(context, new IbanInquiryResult(parsed.Value, bank.PersianName, accountField,
                IbanInquiryCodes.DepositStatus(account.Status!.Value), IbanInquiryCodes.DepositDescription(account.Status.Value), null,
                account.Owners!, IbanInquiryCodes.AlertOk)),
            LookupOutcome.NotFound => Envelopes.Ok(context, new IbanInquiryResult(parsed.Value, bank.PersianName, null, null, null,
                "حساب یافت نشد", [], IbanInquiryCodes.AlertNotFound)),
            LookupOutcome.Unreachable => Envelopes.Ok(context, new IbanInquiryResult(parsed.Value, bank.PersianName, null, null, null,
                "بانک مقصد پاسخ نداد", [], IbanInquiryCodes.AlertDestinationTimeout)),
        };
    }
}
