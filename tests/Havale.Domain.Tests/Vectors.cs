using System.Text.Json;

namespace Havale.Domain.Tests;

/// <summary>
/// The shared test vectors, computed independently of Havale, so that a bug in the code and
/// the same bug in a hand-written expectation cannot agree with each other.
/// </summary>
public static class Vectors
{
    private static readonly JsonElement Root = Load();

    public static TheoryData<string, string> ValidIbans() =>
        Rows(Root.GetProperty("validIbans"), row => (Text(row, "iban"), Text(row, "bankCode")));

    public static TheoryData<string, string> HostDepositIbans() =>
        Rows(Root.GetProperty("hostDepositIbans"), row => (Text(row, "deposit"), Text(row, "iban")));

    public static TheoryData<string, string> InvalidIbans() =>
        Rows(Root.GetProperty("invalidIbans"), row => (Text(row, "iban"), Text(row, "why")));

    public static TheoryData<string> ValidNationalCodes()
    {
        var data = new TheoryData<string>();
        foreach (var code in Root.GetProperty("validNationalCodes").EnumerateArray())
        {
            data.Add(code.GetString()!);
        }
        return data;
    }

    public static TheoryData<string, string> InvalidNationalCodes() =>
        Rows(Root.GetProperty("invalidNationalCodes"), row => (Text(row, "nid"), Text(row, "why")));

    public static TheoryData<string, string, string, string, string> JalaliRenderings()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var row in Root.GetProperty("jalali").EnumerateArray())
        {
            data.Add(Text(row, "utc"), Text(row, "tehran"), Text(row, "kilid"), Text(row, "polDate"), Text(row, "polTime"));
        }
        return data;
    }

    private static TheoryData<string, string> Rows(JsonElement array, Func<JsonElement, (string, string)> read)
    {
        var data = new TheoryData<string, string>();
        foreach (var row in array.EnumerateArray())
        {
            var (first, second) = read(row);
            data.Add(first, second);
        }
        return data;
    }

    private static string Text(JsonElement row, string name) => row.GetProperty(name).GetString()!;

    private static JsonElement Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", "identifiers.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
