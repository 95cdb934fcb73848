using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Havale.Api.Platform;

/// <summary>
/// Describes in the OpenAPI document the wire types that are read by a converter of Havale's own
/// (<see cref="HavaleJson"/>): ASP.NET Core cannot see through a custom converter and leaves such a type's schema empty
/// (<c>{}</c>, "anything"), which would leave every string, every amount and every Kilid row undescribed. Also gives the
/// identifier parameters (deposit numbers, national codes, IBANs, trackIds) the length and shape the handlers check.
/// </summary>
public sealed class WireSchemas : IOpenApiSchemaTransformer
{
    /// <summary>What <see cref="TrackId"/> accepts: 1 to <see cref="TrackId.LengthMax"/> ASCII letters, digits and '-'. Declared before the table that uses it: static fields are set in order.</summary>
    public static readonly string TrackIdPattern = $"^[A-Za-z0-9-]{{1,{TrackId.LengthMax}}}$";

    /// <summary>
    /// Parameters named for an identifier, with the shape its Parse accepts: ASCII digits only for numbers
    /// (<c>AsciiDigits</c>), the characters <see cref="TrackId"/> allows. Only parameters: a body's or answer's field of
    /// the same name is shared with answers, where Havale writes what it stores, so it is not constrained here.
    /// </summary>
    private static readonly Dictionary<string, (int LengthMax, string Pattern)> IdentifierParameters = new(StringComparer.Ordinal)
    {
        ["deposit"] = (DepositNumber.Length, Digits(DepositNumber.Length)),
        ["nid"] = (NationalCode.Length, Digits(NationalCode.Length)),
        ["nationalCode"] = (NationalCode.Length, Digits(NationalCode.Length)),
        ["iban"] = (Iban.Length, $"^IR[0-9]{{{Iban.Length - 2}}}$"),
        ["inquiryTrackId"] = (TrackId.LengthMax, TrackIdPattern),
    };

    /// <summary>What <see cref="Accounts.ClientIds"/> accepts.</summary>
    public static readonly string ClientIdPattern = $"^[A-Za-z0-9._-]{{1,{Limits.ClientIdCharsMax}}}$";

    /// <summary>The schema of a path parameter ASP.NET Core does not describe (one bound outside the handler), by its name.</summary>
    public static OpenApiSchema PathParameterSchema(string name, string? constraint)
    {
        if (name == "clientId")
        {
            return new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Limits.ClientIdCharsMax, Pattern = ClientIdPattern };
        }
        if (IdentifierParameters.TryGetValue(name, out var identifier))
        {
            return new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = identifier.LengthMax, Pattern = identifier.Pattern };
        }
        return constraint is "long" or "int"
            ? new OpenApiSchema { Type = JsonSchemaType.Integer, Format = constraint == "long" ? "int64" : "int32" }
            : new OpenApiSchema { Type = JsonSchemaType.String };
    }

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var declared = context.JsonTypeInfo.Type;
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        var nullFlag = IsNullable(context, declared) ? JsonSchemaType.Null : 0;
        if (type == typeof(string))
        {
            // TextJsonConverter reads every string.
            schema.Type = JsonSchemaType.String | nullFlag;
            if (context.ParameterDescription is { } parameter && IdentifierParameters.TryGetValue(parameter.Name, out var identifier))
            {
                schema.MaxLength = identifier.LengthMax;
                schema.Pattern = identifier.Pattern;
            }
        }
        else if (type == typeof(Rials))
        {
            // RialsJsonConverter: a JSON number, or a string of ASCII, Persian or Arabic-Indic digits; written as a number.
            schema.Type = JsonSchemaType.Integer | JsonSchemaType.String | nullFlag;
            schema.Format = "int64";
            schema.Minimum = "1";
            schema.Maximum = Rials.AmountRialsMax.ToString(CultureInfo.InvariantCulture);
            schema.Pattern = $"^[0-9۰-۹٠-٩]{{1,{Rials.AmountRialsMax.ToString(CultureInfo.InvariantCulture).Length}}}$";
            schema.Description ??= "An amount in rials: a whole number from 1, or a string of its digits.";
        }
        else if (type == typeof(JsonElement))
        {
            schema.Type = JsonSchemaType.Object | nullFlag;
            schema.Description ??= KeptWholeDescription;
        }
        else if (type == typeof(List<JsonElement>) && schema.Items is null)
        {
            // Kilid's destination and ceremony rows are kept as sent (a refusal echoes the offending row whole) and read
            // field by field, so each is a JSON object; ASP.NET Core leaves the list's items out altogether.
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.Object, Description = KeptWholeDescription };
        }
        else if (context.JsonPropertyInfo?.AttributeProvider?.IsDefined(typeof(AlwaysNullAttribute), inherit: false) == true)
        {
            schema.Type = JsonSchemaType.Null;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether the value may be null: a string property annotated <c>string?</c> (its getter for what Havale writes, its
    /// setter for what it reads; a getter-only property reports its missing setter as nullable), or a JsonElement?.
    /// Rials? is not: ASP.NET Core itself makes that a choice of null or the shared Rials schema.
    /// </summary>
    private static bool IsNullable(OpenApiSchemaTransformerContext context, Type declared)
        => Nullable.GetUnderlyingType(declared) is { } underlying
            ? underlying == typeof(JsonElement)
            : context.JsonPropertyInfo is { } property
              && ((property.Get is not null && property.IsGetNullable) || (property.Set is not null && property.IsSetNullable));

    private const string KeptWholeDescription = "A JSON object kept whole as it was sent or stored; its fields are shown in the example.";

    private static string Digits(int length) => $"^[0-9]{{{length}}}$";
}

/// <summary>A wire field Havale always writes as null (a field of Finnotech's answer that Havale has no value for).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AlwaysNullAttribute : Attribute;
