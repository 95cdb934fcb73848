using System.Text.Json.Serialization;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>An order as the seed's result shows it, with Havale's <c>history</c> and <c>signs</c> added.</summary>
public sealed record OrderView
{
    [JsonPropertyName("request")] public required long Request { get; init; }
    [JsonPropertyName("number")] public required string Number { get; init; }
    [JsonPropertyName("created_date")] public required string CreatedDate { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("last_update")] public required string LastUpdate { get; init; }
    [JsonPropertyName("ceremonies")] public required IReadOnlyList<CeremonyView> Ceremonies { get; init; }
    [JsonPropertyName("note")] public required string? Note { get; init; }
    /// <summary>Kilid attaches files in its own app; Havale takes none, so this is always null.</summary>
    [JsonPropertyName("attachment"), AlwaysNull] public object? Attachment => null;
    [JsonPropertyName("destinations")] public required IReadOnlyList<DestinationView> Destinations { get; init; }
    [JsonPropertyName("id")] public long Id => Request;
    [JsonPropertyName("history")] public required IReadOnlyList<HistoryView> History { get; init; }
    [JsonPropertyName("signs")] public required IReadOnlyList<SignView> Signs { get; init; }
}

public sealed record CeremonyView([property: JsonPropertyName("nid")] string Nid, [property: JsonPropertyName("order")] int Order);

public sealed record DestinationView
{
    [JsonPropertyName("id")] public required long Id { get; init; }
    [JsonPropertyName("request")] public required long Request { get; init; }
    [JsonPropertyName("number")] public required string Number { get; init; }
    [JsonPropertyName("amount")] public required long Amount { get; init; }
    [JsonPropertyName("name")] public required string? Name { get; init; }
    [JsonPropertyName("description")] public required string? Description { get; init; }
    [JsonPropertyName("reference_code")] public required string? ReferenceCode { get; init; }
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("failure_message")] public required string? FailureMessage { get; init; }
    [JsonPropertyName("transfer_type")] public required string TransferType { get; init; }
    [JsonPropertyName("ref_code")] public required string? RefCode { get; init; }
    [JsonPropertyName("trackId")] public required string? TrackId { get; init; }
    /// <summary>The seed's example repeats reference_code here.</summary>
    [JsonPropertyName("payment_number")] public string? PaymentNumber => ReferenceCode;
    [JsonPropertyName("pay_date")] public required string? PayDate { get; init; }
}

public sealed record HistoryView
{
    [JsonPropertyName("nid")] public required string Nid { get; init; }
    [JsonPropertyName("date")] public required string Date { get; init; }
    [JsonPropertyName("description")] public required string? Description { get; init; }
    [JsonPropertyName("action")] public required string Action { get; init; }
    [JsonPropertyName("first_name")] public required string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public required string? LastName { get; init; }
}

public sealed record SignView
{
    [JsonPropertyName("nid")] public required string Nid { get; init; }
    [JsonPropertyName("first_name")] public required string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public required string? LastName { get; init; }
    [JsonPropertyName("date")] public required string Date { get; init; }
}

/// <summary>A destination row's <c>state</c> on the wire, read from the ledger by <see cref="OrderReader"/>.</summary>
public static class RowStates
{
    public const string Ready = "ready";
    public const string Wait = "wait";
    public const string Success = "success";
    public const string Failed = "failed";
}
