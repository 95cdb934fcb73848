namespace Havale.Api.Features.InstantPayment;

/// <summary>instantPayment's body and answer as the OpenAPI document shows them: step 3 of the README's Pol walk-through.</summary>
public static class InstantPaymentExamples
{
    public static IServiceCollection AddInstantPaymentExamples(this IServiceCollection services)
    {
        var body = new InstantPaymentRequest(Rials.FromTrusted(10_000_000), "کتاب سلوک", "19", "محمود", "دولت آبادی",
            "IR370120000000003141592653", null);
        services.AddApiExample(body);
        // The answer repeats the body's fields, as Finnotech's does.
        services.AddApiExample(new InstantPaymentResponse
        {
            Amount = body.Amount!.Value.AmountRials,
            Description = body.Description!,
            ReasonDescription = body.ReasonDescription!,
            DestinationFirstname = body.DestinationFirstname!,
            DestinationLastname = body.DestinationLastname!,
            DestinationIban = body.DestinationNumber!,
            InquiryDate = "081016",
            InquirySequence = "000001",
            InquiryTime = "100000",
            Message = " ",
            SourceNumber = "0302876732315",
            OriginKey = "PL0810161000000001",
            State = "DONE",
            TrackId = "walkthrough-pay-1",
        });
        return services;
    }
}
