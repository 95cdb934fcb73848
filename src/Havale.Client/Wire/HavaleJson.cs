namespace Havale.Client;

/// <summary>How the client reads and writes the wire: names as written on each model, numbers also from strings.</summary>
internal static class HavaleJson
{
    /// <summary>
    /// Options are immutable once first used, so one instance is shared safely. Numbers are read from strings too:
    /// Kilid's own example sends <c>"amount": "12000"</c>.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
