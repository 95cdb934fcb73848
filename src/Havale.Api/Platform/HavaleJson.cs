using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

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
            options.Converters.Add(new TextJsonConverter());
            options.Converters.Add(new CheckedJsonElementConverter());
        }
        return options;
    }

    /// <summary>Why a JSON string is refused when its bytes or escapes do not spell text.</summary>
    public const string NotTextReason = "is not valid text (bytes that are not UTF-8, or an unpaired surrogate)";

    /// <summary>
    /// A JSON string as .NET text. System.Text.Json checks UTF-8 only when it turns a string into text, and then throws
    /// InvalidOperationException, which nothing would answer but a 500; here it is a refusal of the field instead.
    /// </summary>
    public static string ReadText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            throw new JsonFieldException("has the wrong type");
        }
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonFieldException(NotTextReason);
        }
    }

    /// <summary>
    /// The first place in a parsed document whose property name or string is not text, or whose object names a property
    /// twice, with what is wrong there; null when there is none. JsonDocument reads neither check until a string is asked
    /// for, so every body kept as a JsonElement passes here once before anyone reads it.
    /// </summary>
    public static (string Path, string Reason)? FindFault(JsonElement element) => FindFault(element, "");

    private static (string Path, string Reason)? FindFault(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(element) ? null : (path, NotTextReason);
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindFault(item, $"{path}[{index++}]") is { } inItem)
                    {
                        return inItem;
                    }
                }
                return null;
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return (path.Length == 0 ? "request body" : path, "has a property name that " + NotTextReason);
                    }
                    var propertyPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (!names.Add(name))
                    {
                        return (propertyPath, "is given more than once");
                    }
                    if (FindFault(property.Value, propertyPath) is { } inValue)
                    {
                        return inValue;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsText(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>Every string field of a request goes through <see cref="HavaleJson.ReadText"/>.</summary>
public sealed class TextJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => HavaleJson.ReadText(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => HavaleJson.ReadText(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}

/// <summary>
/// Parts of a body kept as JSON (Kilid's rows, echoed back whole when refused) are checked by
/// <see cref="HavaleJson.FindFault"/> as they are read, so that later reads of their strings cannot throw.
/// </summary>
public sealed class CheckedJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        return HavaleJson.FindFault(element) is { } fault ? throw new JsonFieldException(fault.Reason, fault.Path) : element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);
}

/// <summary>
/// A JSON error whose message is already fit for the caller; the exception handler adds the field path.
/// </summary>
public sealed class JsonFieldException(string reason, string innerPath = "") : JsonException(reason)
{
    public string Reason { get; } = reason;

    /// <summary>Where inside the field the fault is ("[0].name"), when the field is itself JSON kept whole.</summary>
    public string InnerPath { get; } = innerPath;
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
                return Rials.TryParse(HavaleJson.ReadText(ref reader), out var fromString, out var stringError)
                    ? fromString
                    : throw new JsonFieldException(stringError);
            default:
                throw new JsonFieldException("must be a number of rials or a string of digits");
        }
    }

    public override void Write(Utf8JsonWriter writer, Rials value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.AmountRials);
}
