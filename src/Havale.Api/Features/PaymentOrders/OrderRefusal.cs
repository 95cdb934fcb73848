using System.Text.Json;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// Every way create and edit refuse an order, in the order the rules are checked. The number is the wire's
/// <c>result.code</c>; 1 is the seed's own example.
/// </summary>
public enum OrderRefusal
{
    InvalidDestinationNumber = 1,
    InvalidAmount = 2,
    PayaAmountBelowMinimum = 3,
    PayaAmountAboveMaximum = 4,
    InvalidName = 5,
    InvalidDescription = 6,
    InvalidReferenceCode = 7,
    DestinationIsSource = 8,
    InvalidCeremony = 9,
    CeremonyNotSignatory = 10,
    CeremonyRepeated = 11,
    TooFewCeremonySignatories = 12,
    CreatorNotTokenPerson = 13,
    CreatorNotOwner = 14,
    SourceNotActive = 15,
    OrderNotEditable = 16,
}

/// <summary>A refusal with what to say about it and the part of the body it is about (a row, a ceremony), if any.</summary>
public sealed record DraftRefusal(OrderRefusal Reason, string Detail, JsonElement? Offending);
