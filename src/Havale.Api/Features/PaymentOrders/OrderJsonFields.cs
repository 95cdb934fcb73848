using System.Text.Json;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>The fields of a destination row read from the caller's JSON, each refusal worded for the seed's messages.</summary>
internal static class OrderJsonFields
{
    /// <summary>A string field, or null when absent or JSON null; false when it is there but not a string.</summary>
    public static bool TryString(JsonElement row, string field, out string? value)
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
    public static bool TryText(JsonElement row, string field, bool isRequired, int charsMin, int charsMax, out string? text, out string error)
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
        if (!PersianText.TryNormalize(sent, charsMin, charsMax, out var normalized, out error))
        {
            return false;
        }
        text = normalized;
        return true;
    }

    /// <summary>An amount as a JSON number or a numeric string, as the seed's example sends it.</summary>
    public static bool TryAmount(JsonElement row, out Rials amount, out string error)
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
}
