using System.Text.Json;
using Havale.Api.Accounts;
using Havale.Api.Auth;
using Havale.Api.Platform;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// The body of create and edit, as the seed documents it. Rows and ceremonies are kept as the caller sent them, so
/// that a refused one can be echoed back whole as <c>invalidParameter</c>, as the seed's error example does.
/// </summary>
public sealed record OrderBody(List<JsonElement>? Destinations, List<JsonElement>? Ceremonies, string? Note, string? NationalCode);

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

/// <summary>Where a destination's money goes, read from <c>number</c>: a host deposit (internal) or another bank's IBAN (Paya).</summary>
public readonly record struct DestinationAccount(TransferType TransferType, DepositNumber? Deposit, Iban? PayaIban, bool IsWrittenAsIban)
{
    /// <summary>
    /// 13 digits are a host deposit; an IBAN of the host bank is the same deposit, so it goes internal too; any other
    /// bank's IBAN goes by Paya, if the bank is one Havale knows.
    /// </summary>
    public static bool TryParse(string? text, out DestinationAccount account, out string error)
    {
        account = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "is required";
            return false;
        }
        if (text is { Length: DepositNumber.Length } && DepositNumber.TryParse(text, out var deposit, out error))
        {
            account = new DestinationAccount(TransferType.Internal, deposit, null, IsWrittenAsIban: false);
            return true;
        }
        if (!Iban.TryParse(text, out var iban, out error))
        {
            error = "must be a 13-digit deposit or an IBAN";
            return false;
        }
        if (iban.IsHostBank)
        {
            if (iban.HostDeposit is not { } hostDeposit)
            {
                error = "is a host-bank IBAN that holds no deposit number";
                return false;
            }
            account = new DestinationAccount(TransferType.Internal, hostDeposit, null, IsWrittenAsIban: true);
            return true;
        }
        if (Banks.Find(iban.BankCode) is null)
        {
            error = "is an IBAN of a bank Havale does not know";
            return false;
        }
        account = new DestinationAccount(TransferType.Paya, null, iban, IsWrittenAsIban: true);
        return true;
    }
}

public sealed record ValidRow(int Position, string Number, DestinationAccount Account, Rials Amount, string? Name, string? Description,
    string? ReferenceCode, JsonElement Sent);

public sealed record ValidCeremony(NationalCode Nid, int SigningOrder, JsonElement Sent);

/// <summary>A create or edit body whose every part has been parsed once; null parts were not given (edit keeps them).</summary>
public sealed record ValidDraft(IReadOnlyList<ValidRow>? Rows, IReadOnlyList<ValidCeremony>? Ceremonies, string? Note, NationalCode Actor);

public static class OrderDraftValidation
{
    /// <summary>
    /// Parses the body in the seed's order: rows (each field in turn), ceremonies, note, nationalCode. A malformed
    /// shape (no rows, too many, a bad note or nationalCode) is bad input and throws; a bad row or ceremony is the
    /// seed's business error and comes back as a refusal naming it.
    /// </summary>
    public static (ValidDraft? Draft, DraftRefusal? Refusal) Parse(OrderBody body, DepositNumber source, bool isEdit)
    {
        List<ValidRow>? rows = null;
        if (body.Destinations is not null || !isEdit)
        {
            if (body.Destinations is not { Count: > 0 } destinations)
            {
                throw ApiProblem.Field("destinations", "at least one destination is required");
            }
            if (destinations.Count > PaymentOrderLimits.DestinationsPerOrderMax)
            {
                throw ApiProblem.Field("destinations", $"at most {PaymentOrderLimits.DestinationsPerOrderMax} destinations per order");
            }
            rows = new List<ValidRow>(destinations.Count);
            for (var position = 0; position < destinations.Count; position++)
            {
                var (row, refusal) = ParseRow(destinations[position], position, source);
                if (refusal is not null)
                {
                    return (null, refusal);
                }
                rows.Add(row!);
            }
        }
        List<ValidCeremony>? ceremonies = null;
        if (body.Ceremonies is not null)
        {
            ceremonies = new List<ValidCeremony>(body.Ceremonies.Count);
            foreach (var sent in body.Ceremonies)
            {
                var (ceremony, refusal) = ParseCeremony(sent);
                if (refusal is not null)
                {
                    return (null, refusal);
                }
                if (ceremonies.Any(known => known.Nid == ceremony!.Nid))
                {
                    return (null, new DraftRefusal(OrderRefusal.CeremonyRepeated, "each person may appear once", sent));
                }
                ceremonies.Add(ceremony!);
            }
        }
        string? note = null;
        if (body.Note is not null && !PersianText.TryNormalize(body.Note, 0, PaymentOrderLimits.NoteCharsMax, out note, out var noteError))
        {
            throw ApiProblem.Field("note", noteError);
        }
        if (!NationalCode.TryParse(body.NationalCode, out var actor, out var actorError))
        {
            throw ApiProblem.Field("nationalCode", actorError);
        }
        return (new ValidDraft(rows, ceremonies, note, actor), null);
    }

    private static (ValidRow? Row, DraftRefusal? Refusal) ParseRow(JsonElement sent, int position, DepositNumber source)
    {
        DraftRefusal Refuse(OrderRefusal reason, string detail) => new(reason, detail, sent);

        if (sent.ValueKind != JsonValueKind.Object)
        {
            return (null, Refuse(OrderRefusal.InvalidDestinationNumber, "a destination must be an object"));
        }
        if (!TryString(sent, "number", out var number))
        {
            return (null, Refuse(OrderRefusal.InvalidDestinationNumber, "number must be a string"));
        }
        if (!DestinationAccount.TryParse(number?.Trim(), out var account, out var numberError))
        {
            return (null, Refuse(OrderRefusal.InvalidDestinationNumber, "number " + numberError));
        }
        if (!TryAmount(sent, out var amount, out var amountError))
        {
            return (null, Refuse(OrderRefusal.InvalidAmount, "amount " + amountError));
        }
        if (account.TransferType == TransferType.Paya && amount.AmountRials < PaymentOrderLimits.PayaAmountRialsMin)
        {
            return (null, Refuse(OrderRefusal.PayaAmountBelowMinimum, $"a Paya payment is at least {PaymentOrderLimits.PayaAmountRialsMin} rials"));
        }
        if (account.TransferType == TransferType.Paya && amount.AmountRials > PaymentOrderLimits.PayaAmountRialsMax)
        {
            return (null, Refuse(OrderRefusal.PayaAmountAboveMaximum, $"a Paya payment is at most {PaymentOrderLimits.PayaAmountRialsMax} rials"));
        }
        // The seed: an IBAN destination must carry the holder's name and a description.
        var isTextRequired = account.IsWrittenAsIban;
        if (!TryText(sent, "name", isTextRequired, PaymentOrderLimits.NameCharsMin, PaymentOrderLimits.NameCharsMax, out var name, out var nameError))
        {
            return (null, Refuse(OrderRefusal.InvalidName, "name " + nameError));
        }
        if (!TryText(sent, "description", isTextRequired, 1, PaymentOrderLimits.DescriptionCharsMax, out var description, out var descriptionError))
        {
            return (null, Refuse(OrderRefusal.InvalidDescription, "description " + descriptionError));
        }
        if (!TryString(sent, "reference_code", out var referenceCode)
            || (referenceCode is not null && (referenceCode.Length is 0 or > PaymentOrderLimits.ReferenceCodeDigitsMax || !referenceCode.All(char.IsAsciiDigit))))
        {
            return (null, Refuse(OrderRefusal.InvalidReferenceCode, $"reference_code must be 1 to {PaymentOrderLimits.ReferenceCodeDigitsMax} digits"));
        }
        if (account.Deposit == source)
        {
            return (null, Refuse(OrderRefusal.DestinationIsSource, "the destination is the order's own deposit"));
        }
        var stored = account.PayaIban?.Value ?? number!.Trim();
        return (new ValidRow(position, stored, account, amount, name, description, referenceCode, sent.Clone()), null);
    }

    private static (ValidCeremony? Ceremony, DraftRefusal? Refusal) ParseCeremony(JsonElement sent)
    {
        if (sent.ValueKind != JsonValueKind.Object || !TryString(sent, "nid", out var nidText) || !NationalCode.TryParse(nidText, out var nid, out _))
        {
            return (null, new DraftRefusal(OrderRefusal.InvalidCeremony, "nid must be a valid national code", sent));
        }
        var signingOrder = PaymentOrderLimits.CeremonyOrderDefault;
        if (sent.TryGetProperty("order", out var order) && order.ValueKind != JsonValueKind.Null)
        {
            if (order.ValueKind != JsonValueKind.Number || !order.TryGetInt32(out signingOrder)
                || signingOrder is < PaymentOrderLimits.CeremonyOrderMin or > PaymentOrderLimits.CeremonyOrderMax)
            {
                return (null, new DraftRefusal(OrderRefusal.InvalidCeremony,
                    $"order must be {PaymentOrderLimits.CeremonyOrderMin} to {PaymentOrderLimits.CeremonyOrderMax}", sent));
            }
        }
        return (new ValidCeremony(nid, signingOrder, sent.Clone()), null);
    }

    /// <summary>A string field, or null when absent or JSON null; false when it is there but not a string.</summary>
    private static bool TryString(JsonElement row, string field, out string? value)
    {
        value = null;
        if (!row.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        value = element.GetString();
        return true;
    }

    /// <summary>Optional text is absent, null or empty; given text is held to its bounds like required text.</summary>
    private static bool TryText(JsonElement row, string field, bool isRequired, int minChars, int maxChars, out string? text, out string error)
    {
        text = null;
        error = "";
        if (!TryString(row, field, out var sent))
        {
            error = "must be a string";
            return false;
        }
        if (!isRequired && string.IsNullOrWhiteSpace(sent))
        {
            return true;
        }
        if (!PersianText.TryNormalize(sent, minChars, maxChars, out var normalized, out error))
        {
            return false;
        }
        text = normalized;
        return true;
    }

    /// <summary>An amount as a JSON number or a numeric string, as the seed's example sends it.</summary>
    private static bool TryAmount(JsonElement row, out Rials amount, out string error)
    {
        amount = default;
        if (!row.TryGetProperty("amount", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            error = "is required";
            return false;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (!element.TryGetInt64(out var amountRials))
                {
                    error = "must be a whole number of rials";
                    return false;
                }
                return Rials.TryCreate(amountRials, out amount, out error);
            case JsonValueKind.String:
                return Rials.TryParse(element.GetString(), out amount, out error);
            default:
                error = "must be a number of rials or a string of digits";
                return false;
        }
    }

    /// <summary>
    /// The rules that need the deposit: internal destinations exist and are active, ceremonies name only the
    /// deposit's signatories and at least its required number, and the actor owns the deposit.
    /// </summary>
    public static async Task<DraftRefusal?> CheckAgainstDepositAsync(HavaleDb db, ValidDraft draft, Deposit deposit, FinnotechGrant grant,
        CancellationToken cancellationToken)
    {
        if (draft.Rows is { } rows)
        {
            var internalDeposits = rows.Where(row => row.Account.Deposit is not null).Select(row => row.Account.Deposit!.Value.Value).Distinct().ToList();
            var active = await db.Deposits.Where(known => internalDeposits.Contains(known.Number) && known.Status == AccountStatus.Active)
                .Select(known => known.Number).ToListAsync(cancellationToken);
            if (rows.FirstOrDefault(row => row.Account.Deposit is { } destination && !active.Contains(destination.Value)) is { } unknown)
            {
                // An unknown deposit and an inactive one get the seed's one answer: "invalid destination deposit".
                return new DraftRefusal(OrderRefusal.InvalidDestinationNumber, "no active deposit with this number", unknown.Sent);
            }
        }
        if (draft.Ceremonies is { } ceremonies)
        {
            var signatories = deposit.Members.Where(member => member.IsSignatory).Select(member => member.Nid).ToHashSet(StringComparer.Ordinal);
            if (ceremonies.FirstOrDefault(ceremony => !signatories.Contains(ceremony.Nid.Value)) is { } stranger)
            {
                return new DraftRefusal(OrderRefusal.CeremonyNotSignatory, "ceremonies may name only the deposit's signatories", stranger.Sent);
            }
            if (ceremonies.Count < deposit.RequiredSignatures)
            {
                return new DraftRefusal(OrderRefusal.TooFewCeremonySignatories,
                    $"this deposit needs {deposit.RequiredSignatures} signatures, so ceremonies must name at least {deposit.RequiredSignatures} signatories", null);
            }
        }
        return CheckActor(draft.Actor, deposit, grant);
    }

    /// <summary>Who creates, edits or deletes an order: an owner of the deposit, and with a code token the person who consented.</summary>
    public static DraftRefusal? CheckActor(NationalCode actor, Deposit deposit, FinnotechGrant grant)
    {
        var sent = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["nationalCode"] = actor.Value });
        if (grant.Type == FinnotechTokenType.Code && actor.Value != grant.Nid)
        {
            return new DraftRefusal(OrderRefusal.CreatorNotTokenPerson, "with an authorization-code token, nationalCode is the person who granted it", sent);
        }
        if (!deposit.Members.Any(member => member.Nid == actor.Value && member.IsOwner))
        {
            return new DraftRefusal(OrderRefusal.CreatorNotOwner, "nationalCode is not an owner of this deposit", sent);
        }
        if (deposit.Status != AccountStatus.Active)
        {
            return new DraftRefusal(OrderRefusal.SourceNotActive, "the order's deposit is not active", null);
        }
        return null;
    }
}
