using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Havale.Domain;

namespace Havale.Api.Platform;

/// <summary>The one set of JSON rules for requests and responses.</summary>
public static class HavaleJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        // Persian letters (and quotes) are written as themselves, not as \uXXXX: people read these responses in logs
        // and consoles. The relaxed encoder only skips HTML-escaping, which is safe because every response is
        // application/json and never inlined into a page; control characters are still escaped.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // The web defaults read "12" into an int; Havale accepts numeric strings only where Finnotech does (amounts),
        // through RialsJsonConverter, and is strict everywhere else.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.MaxDepth = Limits.JsonDepthMax;
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.AllowDuplicateProperties = false;
        if (!options.Converters.OfType<RialsJsonConverter>().Any())
        {
            options.Converters.Add(new RialsJsonConverter());
        }
        return options;
    }
}

/// <summary>
/// A JSON error whose message is already fit for the caller; the exception handler adds the field path.
/// </summary>
public sealed class JsonFieldException(string reason) : JsonException(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Amounts arrive as JSON numbers (Pol) or numeric strings (the Kilid example sends "12000"); both become <see cref="Rials"/>.
/// Fractions, exponents, zero, negatives and overflow are refused with the field named.
/// </summary>
public sealed class RialsJsonConverter : JsonConverter<Rials>
{
    public override Rials Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetInt64(out var amountRials))
                {
                    throw new JsonFieldException("must be a whole number of rials within range, without a fraction or exponent");
                }
                return Rials.TryCreate(amountRials, out var fromNumber, out var numberError)
                    ? fromNumber
                    : throw new JsonFieldException(numberError);
            case JsonTokenType.String:
                return Rials.TryParse(reader.GetString(), out var fromString, out var stringError)
                    ? fromString
                    : throw new JsonFieldException(stringError);
            default:
                throw new JsonFieldException("must be a number of rials or a string of digits");
        }
    }

    public override void Write(Utf8JsonWriter writer, Rials value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.AmountRials);
}
