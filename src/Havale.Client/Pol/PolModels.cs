namespace Havale.Client;

/// <summary>instantPayment's body (the seed's fields), with Havale's optional <c>sourceDeposit</c>.</summary>
public sealed record PolPayment
{
    [JsonPropertyName("amount")] public required long AmountRials { get; init; }

    /// <summary>At most 30 characters.</summary>
    [JsonPropertyName("description")] public required string Description { get; init; }

    /// <summary>The Central Bank's "بابت" code, "1" to "19" (19: services).</summary>
    [JsonPropertyName("reasonDescription")] public required string ReasonDescription { get; init; }

    [JsonPropertyName("destinationFirstname")] public required string DestinationFirstname { get; init; }

    [JsonPropertyName("destinationLastname")] public required string DestinationLastname { get; init; }

    /// <summary>The destination IBAN, <c>IR</c> and 24 digits.</summary>
    [JsonPropertyName("destinationNumber")] public required string DestinationNumber { get; init; }

    /// <summary>Which granted deposit pays when the token grants several (Havale only; Finnotech pays from the first).</summary>
    [JsonPropertyName("sourceDeposit")] public string? SourceDeposit { get; init; }
}

/// <summary>instantPayment's answer, flat as the seed shows it.</summary>
public sealed record PolPaymentAnswer
{
    [JsonPropertyName("amount")] public long AmountRials { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("reasonDescription")] public string? ReasonDescription { get; init; }
    [JsonPropertyName("destinationFirstname")] public string? DestinationFirstname { get; init; }
    [JsonPropertyName("destinationLastname")] public string? DestinationLastname { get; init; }
    [JsonPropertyName("destinationIban")] public string? DestinationIban { get; init; }
    [JsonPropertyName("inquiryDate")] public string? InquiryDate { get; init; }
    [JsonPropertyName("inquirySequence")] public string? InquirySequence { get; init; }
    [JsonPropertyName("inquiryTime")] public string? InquiryTime { get; init; }
    /// <summary>The bank's reason when <see cref="State"/> is Failed; a space when all went well.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("sourceNumber")] public string? SourceNumber { get; init; }
    /// <summary>The bank's reference for the transfer, what a reconciliation asks for.</summary>
    [JsonPropertyName("originKey")] public string? OriginKey { get; init; }
    /// <summary>The seed's example leaves it out; a 200 without it is a payment made.</summary>
    [JsonPropertyName("state")] public PaymentState State { get; init; }
    [JsonPropertyName("trackId")] public string? TrackId { get; init; }

    /// <summary><see cref="InquiryDate"/> and <see cref="InquiryTime"/> as one Tehran instant.</summary>
    [JsonIgnore] public JalaliDateTime InquiredAt => JalaliDateTime.ParsePol(InquiryDate, InquiryTime);
}

/// <summary>What became of a Pol payment, as far as the client could tell when it returned.</summary>
public enum PolOutcome
{
    /// <summary>A value this client does not know (the wire named a state it has no member for).</summary>
    Unknown,
    /// <summary>The money reached the destination bank.</summary>
    Paid,
    /// <summary>The bank refused or could not take it; nothing moved (the money held for it is back).</summary>
    Failed,
    /// <summary>
    /// The gateway answered 408 and transaction inquiry still had no final answer when the bounded wait ended. The
    /// money is held, not lost: ask <c>TransactionInquiryAsync</c> with the same trackId later. Never pay again with a new one.
    /// </summary>
    Unresolved,
}

/// <summary>A Pol payment's result: its outcome, the gateway's answer, and how the client got to it.</summary>
public sealed record PolPaymentResult
{
    /// <summary>The trackId the payment was made with: the caller's, or the one the client made.</summary>
    public required string TrackId { get; init; }

    public required PolOutcome Outcome { get; init; }

    /// <summary>The gateway's answer when it gave one (HTTP 200); null after a 408.</summary>
    public PolPaymentAnswer? Answer { get; init; }

    /// <summary>
    /// True when the gateway answered 408: the client did not send the payment again but asked transaction inquiry,
    /// whose last answer is <see cref="Inquiry"/>.
    /// </summary>
    public bool WasResolvedThroughInquiry { get; init; }

    /// <summary>The last transaction inquiry after a 408; null otherwise.</summary>
    public TransactionInquiry? Inquiry { get; init; }

    /// <summary>How many transaction inquiries the client made after a 408.</summary>
    public int InquiriesMade { get; init; }

    /// <summary>True when the answer came from the gateway's call log: an earlier attempt had already been taken.</summary>
    public bool WasReplayed { get; init; }

    /// <summary>The bank's reference: from the answer, or from inquiry after a 408.</summary>
    public string? OriginKey => Answer?.OriginKey ?? Inquiry?.OriginKey;
}

/// <summary>polInquiry's result (Havale's design, spec §3.3): whether a Pol payment to this IBAN can be made now, and to whom.</summary>
public sealed record PolInquiry
{
    [JsonPropertyName("destinationNumber")] public string? DestinationNumber { get; init; }
    [JsonPropertyName("bankCode")] public string? BankCode { get; init; }
    [JsonPropertyName("bankName")] public string? BankName { get; init; }
    [JsonPropertyName("destinationFirstname")] public string? DestinationFirstname { get; init; }
    [JsonPropertyName("destinationLastname")] public string? DestinationLastname { get; init; }
    [JsonPropertyName("amount")] public long? AmountRials { get; init; }
    [JsonPropertyName("isPossible")] public bool IsPossible { get; init; }
    /// <summary>Why not, as a code: BANK_NOT_IN_POL, POL_CLOSED, ACCOUNT_NOT_FOUND, ACCOUNT_BLOCKED, …; null when possible.</summary>
    [JsonPropertyName("reasonCode")] public string? ReasonCode { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}

/// <summary>transactionInquiry's result (Havale's design, spec §3.3): the original call's answer and what became of it since.</summary>
public sealed record TransactionInquiry
{
    [JsonPropertyName("inquiryTrackId")] public string? InquiryTrackId { get; init; }
    [JsonPropertyName("state")] public TransactionState State { get; init; }
    [JsonPropertyName("route")] public string? Route { get; init; }
    [JsonPropertyName("callDate")] public JalaliDateTime CallDate { get; init; }
    /// <summary>The HTTP status the original call was answered with (408 for a payment the bank had not answered then).</summary>
    [JsonPropertyName("httpStatus")] public int? HttpStatus { get; init; }
    [JsonPropertyName("originKey")] public string? OriginKey { get; init; }
    [JsonPropertyName("amountRials")] public long? AmountRials { get; init; }
    /// <summary>The original answer's JSON, as it was sent.</summary>
    [JsonPropertyName("response")] public JsonElement? Response { get; init; }
}

/// <summary>ibanInquiry's result, in the public shape pyfinnotech documents (note the upper-case <c>IBAN</c>).</summary>
public sealed record IbanInquiry
{
    [JsonPropertyName("IBAN")] public string? Iban { get; init; }
    [JsonPropertyName("bankName")] public string? BankName { get; init; }
    [JsonPropertyName("deposit")] public string? Deposit { get; init; }
    /// <summary>02 active, 03 blocked but may receive, 04 blocked, 05 dormant, 06 error, 07 other.</summary>
    [JsonPropertyName("depositStatus")] public string? DepositStatus { get; init; }
    [JsonPropertyName("depositDescription")] public string? DepositDescription { get; init; }
    [JsonPropertyName("depositComment")] public string? DepositComment { get; init; }
    [JsonPropertyName("depositOwners")] public IReadOnlyList<AccountOwner> DepositOwners { get; init; } = [];
    /// <summary>00 ok, 01 invalid IBAN, 05 destination time-out, 06 destination not found, ….</summary>
    [JsonPropertyName("alertCode")] public string? AlertCode { get; init; }
}

public sealed record AccountOwner([property: JsonPropertyName("firstName")] string? FirstName, [property: JsonPropertyName("lastName")] string? LastName);
