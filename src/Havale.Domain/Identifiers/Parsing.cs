namespace Havale.Domain;

/// <summary>
/// The contract every TryParse in the domain keeps, written once: a missing value is
/// "required", a present one is refused with the first problem found, and success leaves the
/// error empty. Messages never name the field: the API prefixes the field name, so one type
/// can serve <c>destinationNumber</c> and <c>iban</c> alike.
/// </summary>
internal static class Parsing
{
    public const string Required = "is required";

    /// <param name="findProblem">The refusal message for <paramref name="text"/>, or null when it is valid.</param>
    /// <param name="create">Makes the value from text that <paramref name="findProblem"/> accepted.</param>
    public static bool TryParse<T>(string? text, Func<string, string?> findProblem, Func<string, T> create, out T value, out string error)
        where T : struct
    {
        if (string.IsNullOrEmpty(text))
        {
            value = default;
            error = Required;
            return false;
        }
        return Conclude(findProblem(text), text, create, out value, out error);
    }

    /// <summary>Refuses with <paramref name="problem"/> when there is one, else makes the value.</summary>
    public static bool Conclude<TInput, T>(string? problem, TInput input, Func<TInput, T> create, out T value, out string error)
        where T : struct
    {
        error = problem ?? "";
        var isValid = problem is null;
        value = isValid ? create(input) : default;
        return isValid;
    }
}
