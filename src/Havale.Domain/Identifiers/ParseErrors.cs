namespace Havale.Domain;

/// <summary>
/// Messages shared by every parser. They never name the field: the API prefixes the field
/// name, so the same type can serve <c>destinationNumber</c> and <c>iban</c> alike.
/// </summary>
internal static class ParseErrors
{
    public const string Required = "is required";
}
