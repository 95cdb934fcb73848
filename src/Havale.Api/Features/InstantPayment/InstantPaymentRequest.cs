namespace Havale.Api.Features.InstantPayment;

/// <summary>The body of instantPayment, as the seed documents it (every field optional here so that a missing one is named).</summary>
public sealed record InstantPaymentRequest(
    Rials? Amount,
    string? Description,
    string? ReasonDescription,
    string? DestinationFirstname,
    string? DestinationLastname,
    string? DestinationNumber,
    /// <summary>Havale's addition: which granted deposit pays, when the token grants several (default: the first).</summary>
    string? SourceDeposit);

/// <summary>An instantPayment body whose every field has been parsed once into its domain type.</summary>
public sealed record ValidInstantPayment(
    Rials Amount,
    string Description,
    PaymentReason Reason,
    string DestinationFirstname,
    string DestinationLastname,
    Iban Destination,
    DepositNumber? SourceDeposit);

public static class InstantPaymentLimits
{
    public const int DescriptionCharsMax = 30;
    public const int NameCharsMin = 2;
    public const int NameCharsMax = 30;
}

public static class InstantPaymentValidation
{
    /// <summary>Checks the fields in the seed's order and names the first bad one.</summary>
    public static ValidInstantPayment Validate(InstantPaymentRequest body)
    {
        if (body.Amount is not { } amount)
        {
            throw ApiProblem.Field("amount", "is required");
        }
        if (!PersianText.TryNormalize(body.Description, 0, InstantPaymentLimits.DescriptionCharsMax, out var description, out var descriptionError))
        {
            throw ApiProblem.Field("description", descriptionError);
        }
        if (!PaymentReasons.TryParse(body.ReasonDescription, out var reason, out var reasonError))
        {
            throw ApiProblem.Field("reasonDescription", reasonError);
        }
        var firstName = Name("destinationFirstname", body.DestinationFirstname);
        var lastName = Name("destinationLastname", body.DestinationLastname);
        if (!Iban.TryParse(body.DestinationNumber, out var destination, out var ibanError))
        {
            throw ApiProblem.Field("destinationNumber", ibanError);
        }
        DepositNumber? source = null;
        if (body.SourceDeposit is not null)
        {
            if (!DepositNumber.TryParse(body.SourceDeposit, out var deposit, out var depositError))
            {
                throw ApiProblem.Field("sourceDeposit", depositError);
            }
            source = deposit;
        }
        return new ValidInstantPayment(amount, description, reason!, firstName, lastName, destination, source);
    }

    private static string Name(string field, string? text)
        => PersianText.TryNormalize(text, InstantPaymentLimits.NameCharsMin, InstantPaymentLimits.NameCharsMax, out var name, out var error)
            ? name
            : throw ApiProblem.Field(field, error);
}
