namespace Havale.Client;

/// <summary>The body of create and edit (the seed's fields). For edit, what is left null stays as it was.</summary>
public sealed record OrderDraft
{
    [JsonPropertyName("destinations")] public IReadOnlyList<OrderDestination>? Destinations { get; init; }

    /// <summary>Who signs, in which order (1 first); null: every signatory, in any order.</summary>
    [JsonPropertyName("ceremonies")] public IReadOnlyList<Ceremony>? Ceremonies { get; init; }

    [JsonPropertyName("note")] public string? Note { get; init; }

    /// <summary>The national code of the person creating (or editing) the order: an owner of the deposit.</summary>
    [JsonPropertyName("nationalCode")] public required string NationalCode { get; init; }
}

/// <summary>One row of an order: a 13-digit deposit of the host bank (internal transfer) or another bank's IBAN (Paya).</summary>
public sealed record OrderDestination
{
    [JsonPropertyName("amount")] public required long AmountRials { get; init; }

    [JsonPropertyName("number")] public required string Number { get; init; }

    /// <summary>The holder's name; required for an IBAN.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>At most 30 characters; required for an IBAN.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }

    /// <summary>The payment identifier, digits, at most 15.</summary>
    [JsonPropertyName("reference_code")] public string? ReferenceCode { get; init; }
}

public sealed record Ceremony([property: JsonPropertyName("nid")] string Nid, [property: JsonPropertyName("order")] int Order);

/// <summary>A payment order as Kilid shows it, with Havale's <c>history</c> and <c>signs</c>.</summary>
public sealed record PaymentOrder
{
    [JsonPropertyName("request")] public long Id { get; init; }
    /// <summary>The deposit the order pays from.</summary>
    [JsonPropertyName("number")] public string? SourceDeposit { get; init; }
    [JsonPropertyName("created_date")] public JalaliDateTime CreatedDate { get; init; }
    [JsonPropertyName("status")] public OrderStatus Status { get; init; }
    [JsonPropertyName("last_update")] public JalaliDateTime LastUpdate { get; init; }
    [JsonPropertyName("ceremonies")] public IReadOnlyList<Ceremony> Ceremonies { get; init; } = [];
    [JsonPropertyName("note")] public string? Note { get; init; }
    [JsonPropertyName("destinations")] public IReadOnlyList<OrderRow> Destinations { get; init; } = [];
    [JsonPropertyName("history")] public IReadOnlyList<OrderHistoryEntry> History { get; init; } = [];
    [JsonPropertyName("signs")] public IReadOnlyList<OrderSignature> Signs { get; init; } = [];

    /// <summary>The sum of the rows, in rials.</summary>
    [JsonIgnore] public long TotalRials => Destinations.Sum(row => row.AmountRials);
}

public sealed record OrderRow
{
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("request")] public long OrderId { get; init; }
    [JsonPropertyName("number")] public string? Number { get; init; }
    [JsonPropertyName("amount")] public long AmountRials { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("reference_code")] public string? ReferenceCode { get; init; }
    [JsonPropertyName("state")] public RowState State { get; init; }
    [JsonPropertyName("failure_message")] public string? FailureMessage { get; init; }
    [JsonPropertyName("transfer_type")] public TransferType TransferType { get; init; }
    [JsonPropertyName("ref_code")] public string? RefCode { get; init; }
    [JsonPropertyName("trackId")] public string? TrackId { get; init; }
    [JsonPropertyName("payment_number")] public string? PaymentNumber { get; init; }
    [JsonPropertyName("pay_date")] public JalaliDateTime PayDate { get; init; }
}

public sealed record OrderHistoryEntry
{
    [JsonPropertyName("nid")] public string? Nid { get; init; }
    [JsonPropertyName("date")] public JalaliDateTime Date { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("action")] public OrderAction Action { get; init; }
    [JsonPropertyName("first_name")] public string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public string? LastName { get; init; }
}

public sealed record OrderSignature
{
    [JsonPropertyName("nid")] public string? Nid { get; init; }
    [JsonPropertyName("first_name")] public string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public string? LastName { get; init; }
    [JsonPropertyName("date")] public JalaliDateTime Date { get; init; }
}

/// <summary>Kilid's refusal of a create or edit (the seed's 400): a number, both messages, and the row it is about.</summary>
public sealed record KilidRefusal
{
    [JsonPropertyName("code")] public int Code { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("farsi_message")] public string? FarsiMessage { get; init; }
    /// <summary>The offending part of the body as it was sent (a row, a ceremony); null when the refusal is about the whole order.</summary>
    [JsonPropertyName("invalidParameter")] public JsonElement? InvalidParameter { get; init; }
}

public sealed record DeletedOrder([property: JsonPropertyName("request")] long Id, [property: JsonPropertyName("message")] string? Message);

internal sealed record DeleteOrderBody([property: JsonPropertyName("nationalCode")] string NationalCode, [property: JsonPropertyName("note")] string Note);

public sealed record ActiveDeposit
{
    [JsonPropertyName("number")] public string? Number { get; init; }
    [JsonPropertyName("iban")] public string? Iban { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("required_signatures")] public int RequiredSignatures { get; init; }
    [JsonPropertyName("is_owner")] public bool IsOwner { get; init; }
    [JsonPropertyName("is_signatory")] public bool IsSignatory { get; init; }
}

internal sealed record ActiveDepositsWire([property: JsonPropertyName("deposits")] IReadOnlyList<ActiveDeposit>? Deposits);

/// <summary>The customer inquiry's answer, flat as spec §4 gives it.</summary>
public sealed record KilidCustomer
{
    [JsonPropertyName("first_name")] public string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public string? LastName { get; init; }
    [JsonPropertyName("nid")] public string? Nid { get; init; }
    [JsonPropertyName("trackId")] public string? TrackId { get; init; }
}

/// <summary>One posted line of a deposit's statement (Havale's design): money in positive, out negative, and the balance after.</summary>
public sealed record StatementEntry
{
    [JsonPropertyName("date")] public JalaliDateTime Date { get; init; }
    [JsonPropertyName("amount")] public long AmountRials { get; init; }
    [JsonPropertyName("balance")] public long BalanceRials { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("reference")] public string? Reference { get; init; }
    [JsonPropertyName("trackId")] public string? TrackId { get; init; }
}

internal sealed record StatementWire([property: JsonPropertyName("entries")] IReadOnlyList<StatementEntry>? Entries);

/// <summary>What to list: a Jalali year (and month), a search over names, descriptions and the note, and a page.</summary>
public sealed record OrderQuery
{
    public int? JalaliYear { get; init; }
    public int? JalaliMonth { get; init; }
    public string? Search { get; init; }
    public int? Limit { get; init; }
    public int? Offset { get; init; }
    /// <summary>Who is looking: an owner or signatory of the deposit.</summary>
    public string? NationalCode { get; init; }
}

/// <summary>Which lines of a statement: between two Tehran days (both included), and a page.</summary>
public sealed record StatementQuery
{
    public DateOnly? FromTehranDay { get; init; }
    public DateOnly? ToTehranDay { get; init; }
    public int? Limit { get; init; }
    public int? Offset { get; init; }
}
