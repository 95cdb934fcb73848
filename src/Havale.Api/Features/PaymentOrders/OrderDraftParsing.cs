using System.Text.Json;

namespace Havale.Api.Features.PaymentOrders;

public sealed record ValidRow(int Position, string Number, DestinationAccount Account, Rials Amount, string? Name, string? Description,
    string? ReferenceCode, JsonElement Sent);

public sealed record ValidCeremony(NationalCode Nid, int SigningOrder, JsonElement Sent);

/// <summary>A create or edit body whose every part has been parsed once; null parts were not given (edit keeps them).</summary>
public sealed record ValidDraft(IReadOnlyList<ValidRow>? Rows, IReadOnlyList<ValidCeremony>? Ceremonies, string? Note, NationalCode Actor);

/// <summary>Reads a create or edit body once into domain values; what needs the database is checked after (<see cref="OrderDraftChecks"/>).</summary>
public static class OrderDraftParsing
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
        if (!OrderJsonFields.TryString(sent, "number", out var number))
        {
            return (null, Refuse(OrderRefusal.InvalidDestinationNumber, "number must be a string"));
        }
        if (!DestinationAccount.TryParse(number?.Trim(), out var account, out var numberError))
        {
            return (null, Refuse(OrderRefusal.InvalidDestinationNumber, "number " + numberError));
        }
        if (!OrderJsonFields.TryAmount(sent, out var amount, out var amountError))
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
        if (!OrderJsonFields.TryText(sent, "name", isTextRequired, PaymentOrderLimits.NameCharsMin, PaymentOrderLimits.NameCharsMax, out var name, out var nameError))
        {
            return (null, Refuse(OrderRefusal.InvalidName, "name " + nameError));
        }
        if (!OrderJsonFields.TryText(sent, "description", isTextRequired, 1, PaymentOrderLimits.DescriptionCharsMax, out var description, out var descriptionError))
        {
            return (null, Refuse(OrderRefusal.InvalidDescription, "description " + descriptionError));
        }
        if (!OrderJsonFields.TryString(sent, "reference_code", out var referenceCode)
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
        if (sent.ValueKind != JsonValueKind.Object || !OrderJsonFields.TryString(sent, "nid", out var nidText) || !NationalCode.TryParse(nidText, out var nid, out _))
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
}
