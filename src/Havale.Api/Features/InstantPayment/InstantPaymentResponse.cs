using System.Text.Json.Serialization;

namespace Havale.Api.Features.InstantPayment;

/// <summary>
/// instantPayment's answer, flat as the seed shows it (not under <c>result</c>), with Havale's <c>status</c> added.
/// <c>state</c> is the payment's outcome; <c>status</c> is the call's, and is DONE whenever the bank gave an answer.
/// </summary>
public sealed record InstantPaymentResponse
{
    [JsonPropertyName("amount")] public required long Amount { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("reasonDescription")] public required string ReasonDescription { get; init; }
    [JsonPropertyName("destinationFirstname")] public required string DestinationFirstname { get; init; }
    [JsonPropertyName("destinationLastname")] public required string DestinationLastname { get; init; }
    [JsonPropertyName("destinationIban")] public required string DestinationIban { get; init; }
    [JsonPropertyName("inquiryDate")] public required string InquiryDate { get; init; }
    [JsonPropertyName("inquirySequence")] public required string InquirySequence { get; init; }
    [JsonPropertyName("inquiryTime")] public required string InquiryTime { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("sourceNumber")] public required string SourceNumber { get; init; }
    [JsonPropertyName("originKey")] public required string OriginKey { get; init; }
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("trackId")] public required string TrackId { get; init; }
    [JsonPropertyName("status")] public string Status => "DONE";
}
