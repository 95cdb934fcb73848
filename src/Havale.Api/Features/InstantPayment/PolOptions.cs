namespace Havale.Api.Features.InstantPayment;

/// <summary>Configuration under <c>Havale:Pol</c>: the Central Bank's caps since May 2025, configurable.</summary>
public sealed class PolOptions
{
    public const string Section = "Havale:Pol";

    /// <summary>The most one person may send by Pol in a Tehran day through non-branch channels.</summary>
    public long DailyAmountRialsMax { get; set; } = 500_000_000;

    /// <summary>The most Pol payments one person may make to one beneficiary in a Tehran day.</summary>
    public int DailyPaymentsToOneBeneficiaryMax { get; set; } = 5;

    public void Validate()
    {
        if (DailyAmountRialsMax is < 1 or > Rials.AmountRialsMax || DailyPaymentsToOneBeneficiaryMax is < 1 or > 1_000_000)
        {
            throw new InvalidOperationException($"{Section}: DailyAmountRialsMax and DailyPaymentsToOneBeneficiaryMax must be positive.");
        }
    }
}
