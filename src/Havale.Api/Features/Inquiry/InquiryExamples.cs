using System.Text.Json;
using Havale.Api.Rails;

namespace Havale.Api.Features.Inquiry;

/// <summary>The inquiries' answers as the OpenAPI document shows them: the README's Mellat account of محمود دولت‌آبادی.</summary>
public static class InquiryExamples
{
    private const string MellatIban = "IR370120000000003141592653";

    public static IServiceCollection AddInquiryExamples(this IServiceCollection services)
    {
        services.AddApiExample(new IbanInquiryResult(MellatIban, "ملت", "3141592653", "02", "حساب فعال است", null,
            [new AccountOwner("محمود", "دولت‌آبادی")], IbanInquiryCodes.AlertOk));
        services.AddApiExample(new PolInquiryResult(MellatIban, "012", "ملت", "محمود", "دولت‌آبادی", 10_000_000, true, null, null));
        services.AddApiExample(new TransactionInquiryResult("walkthrough-pay-1", "DONE", "instantPayment", "14081016100000", 200,
            "PL0810161000000001", 10_000_000,
            JsonDocument.Parse("""{"trackId":"walkthrough-pay-1","amount":10000000,"description":"کتاب سلوک","state":"DONE","status":"DONE"}""")
                .RootElement.Clone()));
        return services;
    }
}
