namespace Havale.Api.Features.InstantPayment;

/// <summary>
/// What one person has sent by Pol on one Tehran day. The caps are kept exact under concurrency the way balances are:
/// the Pol rail's writer locks these rows, checks each payment against them and writes the sums (Rails/Pol/PolWriter).
/// </summary>
public sealed class PolSenderDay
{
    /// <summary>A Tehran day as the caps store it, <c>yyyy-MM-dd</c> (<see cref="Rails.PolCaps.TehranDay"/>).</summary>
    public const int TehranDayLength = 10;

    public required string Nid { get; init; }
    public required string TehranDay { get; init; }
    public long SentRials { get; init; }
}

/// <summary>How many Pol payments one person made to one IBAN on one Tehran day.</summary>
public sealed class PolBeneficiaryDay
{
    public required string Nid { get; init; }
    public required string Iban { get; init; }
    public required string TehranDay { get; init; }
    public int Payments { get; init; }
}
