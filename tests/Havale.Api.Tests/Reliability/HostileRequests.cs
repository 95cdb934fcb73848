using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;

namespace Havale.Api.Tests.Reliability;

/// <summary>How a route is entered: the token a fuzzed call carries unless its mutation is about the credentials.</summary>
public enum TargetAuth
{
    /// <summary>A sandbox code token with the route's scope (bound to the demo person and deposit).</summary>
    CodeToken,
    /// <summary>A client-credential token (routes that take nothing else).</summary>
    ClientCredential,
    /// <summary>HTTP Basic with the demo client's id and secret (token and sandbox routes).</summary>
    Basic,
    None,
}

/// <summary>What a refusal on the route must look like.</summary>
public enum AnswerRule
{
    /// <summary>Finnotech's failure envelope with a documented status and code.</summary>
    Envelope,
    /// <summary>Standard OAuth 2.0 routes answer RFC 6749's own error shape, which generic OAuth clients read.</summary>
    OAuth,
    /// <summary>Pages for people (consent, console, API docs): never a 5xx, and nothing written.</summary>
    Page,
}

public enum BodyKind
{
    None,
    Json,
    Form,
}

/// <summary>
/// One route as the fuzzer calls it: the template with its parameters filled from the sandbox seed, and a body that
/// passes validation, which every mutation then breaks in one way.
/// </summary>
public sealed record FuzzTarget(string Method, string Template, string? Scope, TargetAuth Auth, AnswerRule Rule, BodyKind BodyKind,
    string? Body, string Query = "")
{
    public static readonly IReadOnlyDictionary<string, string> PathValues = new Dictionary<string, string>
    {
        ["clientId"] = Infrastructure.Seed.DemoClient,
        ["nid"] = Infrastructure.Seed.DemoNid,
        ["deposit"] = Infrastructure.Seed.DemoDeposit,
        ["request"] = "1",
        ["bankCode"] = "012",
        ["order"] = "1",
        ["action"] = "sign",
        ["documentName"] = "v1",
        ["endpointId"] = "1",
        ["deliveryId"] = "1",
    };

    private static readonly System.Text.RegularExpressions.Regex Parameter = new(@"\{([A-Za-z]+)(?::[a-z]+)?\??\}");

    public IReadOnlyList<string> PathParameters => Parameter.Matches(Template).Select(match => match.Groups[1].Value).ToList();

    public string Path(IReadOnlyDictionary<string, string>? replaced = null)
        => Parameter.Replace(Template, match => replaced is not null && replaced.TryGetValue(match.Groups[1].Value, out var given)
            ? given
            : PathValues[match.Groups[1].Value]);

    /// <summary>Calls that change state must carry a trackId; the fuzzer gives every call one of its own.</summary>
    public bool IsRead => Method == "GET";

    /// <summary>Calls that move or change money must carry a trackId (spec §1).</summary>
    public bool RequiresTrackId => Template.StartsWith("/oak/", StringComparison.Ordinal) || Template.StartsWith("/keylead/", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Template}";
}

/// <summary>The kinds of hostility, each of which makes the request one the gateway must refuse.</summary>
public enum Hostility
{
    TruncatedJson,
    BrokenJsonSyntax,
    BodyNotAnObject,
    EmptyBody,
    DuplicateKey,
    DeepNesting,
    WrongType,
    BadNumber,
    OverlongString,
    InvalidUtf8String,
    LoneSurrogate,
    WrongContentType,
    EnormousBody,
    PathParameter,
    PathShape,
    TrackId,
    QueryParameter,
    Credentials,
    WrongMethod,
}

/// <summary>A fuzzed request, ready to send and to describe when its answer is wrong.</summary>
public sealed record FuzzRequest(FuzzTarget Target, Hostility Hostility, string Method, string PathAndQuery, byte[]? Body, string? ContentType,
    TargetAuth Auth, string? CredentialOverride, bool IsChunked, string? TargetField, bool IsDecorated)
{
    public override string ToString()
    {
        var body = Body is null ? "(none)" : Body.Length > 300 ? $"{Body.Length} bytes: {Printable(Body[..300])}…" : Printable(Body);
        return $"{Hostility} on {Target}: {Method} {(PathAndQuery.Length > 300 ? PathAndQuery[..300] + "…" : PathAndQuery)} "
               + $"[{ContentType ?? "no content type"}{(IsChunked ? ", chunked" : "")}, auth {Auth}{(CredentialOverride is null ? "" : " overridden")}] "
               + $"field {TargetField ?? "-"}{(IsDecorated ? " (decorated)" : "")} body {body}";
    }

    private static string Printable(byte[] bytes) => Encoding.UTF8.GetString(bytes).Replace("\uFFFD", "<bad utf-8>", StringComparison.Ordinal);
}

/// <summary>
/// Builds hostile requests from a target, a kind of hostility and a seed. Every request is wrong in at least one way the
/// gateway must refuse; one in three also carries hostile but possibly valid text (SQL, script, bidi overrides, control
/// characters) in another field, to show such text is stored and echoed harmlessly or refused, never a crash.
/// </summary>
public static class HostileRequests
{
    private const string Placeholder = "fuzz-placeholder-7f3a";
    private const string DuplicatePlaceholder = "fuzz-duplicate-7f3a";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Text that must never reach SQL or a page unescaped; valid as free text, so never the only fault of a request.</summary>
    public static readonly string[] HostileText =
    [
        "'; DROP TABLE ledger_transfers; --", "\" OR 1=1 --", "1' UNION SELECT secret FROM clients--", "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>", "{{7*7}}${7*7}", "../../../../etc/passwd", "%00%0d%0a", "\u202Eمحمود\u202C",
        "\u2066نام\u2069", "\u200F\u200Eعلی", "ab\u0000cd", "ab\u0007\u001Bcd", "ab\r\ncd", "\uFEFFمریم", "ﷺ", "𝕳𝖆𝖛𝖆𝖑𝖊", "a\u0301\u0301\u0301",
    ];

    /// <summary>
    /// Numbers a field must refuse. Persian (۰-۹) and Arabic-Indic (٠-٩) digits are not here: amounts accept them by
    /// design (Rials.TryParse); other scripts' digits, signs and separators in them are.
    /// </summary>
    private static readonly string[] BadNumbers =
    [
        "-1", "-9223372036854775808", "1.5", "0.0001", "1e3", "1E+30", "99999999999999999999999999", "9223372036854775808",
        "\"۱۲۰۰۰.۵\"", "\"-۱۲۰۰۰\"", "\"１２０００\"", "\"१२०००\"", "\"١٢٠٠٠٫٥\"", "\"12abc\"", "\"0x10\"", "\" 12\"", "\"1,000\"", "\"+12\"", "\"\"", "\"NaN\"", "\"Infinity\"",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly string[] LoneSurrogates = ["\\ud800", "\\udfff", "a\\ud83d", "\\ude00b", "\\udbff\\udbff"];

    private static readonly string[] BadTrackIds =
    [
        "", "a b", "trück", "ترک", "<script>", "'--", "a;b", "a/b", "%00", new string('a', 41), new string('7', 5_000), "a\tb", "_under_score",
    ];

    private static readonly string[] BadPathValues =
    [
        "..", "%2e%2e", "'%20OR%201=1--", "%3Cscript%3E", "%01", "%FF%FE", "%ED%A0%80", new string('9', 300), "-1", "0",
        "99999999999999999999", "1.5", "%DB%B1%DB%B2", "%20", "havale-other", "0000000000", "1234567891", "0100200300400",
    ];

    private static readonly string[] BadCredentials =
    [
        "", "Bearer", "Bearer ", "Bearer not.a.jwt", "Bearer eyJhbGciOiJub25lIn0.e30.", "Basic", "Basic !!!", "Basic aGF2YWxlLWRlbW86d3Jvbmc=",
        "Bearer " + new string('x', 5_000), "Digest abc",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public static FuzzRequest Build(FuzzTarget target, Hostility hostility, int seed, IReadOnlySet<string> methodsOnTemplate)
    {
        var random = new Random(seed);
        hostility = Applicable(target, hostility, random);
        var trackId = "fz-" + seed.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + "-" + random.Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var path = target.Path();
        var query = $"trackId={trackId}{target.Query}";
        var method = target.Method;
        var contentType = target.BodyKind switch { BodyKind.Json => "application/json", BodyKind.Form => "application/x-www-form-urlencoded", _ => null };
        var body = target.Body is null ? null : Encoding.UTF8.GetBytes(target.Body);
        string? credential = null;
        var isChunked = false;
        string? field = null;
        var isDecorated = false;

        var node = target.BodyKind == BodyKind.Json ? JsonNode.Parse(target.Body!) : null;
        if (node is not null && hostility is Hostility.WrongType or Hostility.BadNumber or Hostility.OverlongString or Hostility.InvalidUtf8String
                or Hostility.LoneSurrogate or Hostility.DuplicateKey or Hostility.DeepNesting or Hostility.TruncatedJson or Hostility.BrokenJsonSyntax
            && random.Next(3) == 0)
        {
            isDecorated = Decorate(node, random);
        }

        switch (hostility)
        {
            case Hostility.TruncatedJson:
                var whole = Serialize(node!);
                body = Encoding.UTF8.GetBytes(whole[..random.Next(0, whole.Length - 1)]);
                if (body.Length == 0)
                {
                    body = "{"u8.ToArray();
                }
                break;
            case Hostility.BrokenJsonSyntax:
                var text = Serialize(node!);
                // An unescaped quote makes the count of quotes odd, which no JSON text has; the bodies hold no backslash.
                var at = random.Next(1, text.Length);
                while (text[at - 1] == '\\')
                {
                    at--;
                }
                string[] breakers = ["\"", "\"\"\"", ",}", "{{", "]", ":", "'", "\"a\" \"b\"", "NaN", "Infinity", "0x10", "01", "۱۲۰۰۰", "١٢٠٠٠"];
                var breaker = breakers[random.Next(breakers.Length)];
                body = Encoding.UTF8.GetBytes(breaker == "\"" || breaker == "\"\"\"" ? text.Insert(at, breaker) : text[..at] + breaker + text[at..] + "\"");
                break;
            case Hostility.BodyNotAnObject:
                string[] notObjects = ["[]", "42", "\"text\"", "null", "true", "[{}]", "-0.5"];
                body = Encoding.UTF8.GetBytes(notObjects[random.Next(notObjects.Length)]);
                break;
            case Hostility.EmptyBody:
                string[] empties = ["", " ", "\n", "\uFEFF"];
                body = Encoding.UTF8.GetBytes(empties[random.Next(empties.Length)]);
                break;
            case Hostility.DuplicateKey:
                var objects = Objects(node!).Where(candidate => candidate.Count > 0).ToList();
                var owner = objects[random.Next(objects.Count)];
                var (key, value) = owner.ElementAt(random.Next(owner.Count));
                field = key;
                owner[DuplicatePlaceholder] = value?.DeepClone();
                body = Encoding.UTF8.GetBytes(Serialize(node!).Replace(Quoted(DuplicatePlaceholder), JsonSerializer.Serialize(key, Relaxed), StringComparison.Ordinal));
                break;
            case Hostility.DeepNesting:
                var depth = random.Next(17, 400);
                var opening = random.Next(2) == 0 ? "[" : "{\"a\":";
                var nested = new StringBuilder();
                for (var level = 0; level < depth; level++)
                {
                    nested.Append(opening);
                }
                nested.Append('1');
                for (var level = 0; level < depth; level++)
                {
                    nested.Append(opening == "[" ? ']' : '}');
                }
                body = Splice(node!, random, nested.ToString(), out field);
                break;
            case Hostility.WrongType:
                body = SpliceWrongType(node!, random, out field);
                break;
            case Hostility.BadNumber:
                body = SpliceBadNumber(node!, random, out field);
                break;
            case Hostility.OverlongString:
                string[] fillers = ["ا", "a", "7", "‌", "😀", "\u202E"];
                var overlong = string.Concat(Enumerable.Repeat(fillers[random.Next(fillers.Length)], random.Next(300, 20_000)));
                body = Splice(node!, random, JsonSerializer.Serialize(overlong, Relaxed), out field);
                break;
            case Hostility.InvalidUtf8String:
                var bad = InvalidUtf8[random.Next(InvalidUtf8.Length)];
                var prefix = random.Next(2) == 0 ? "محمود" : "";
                body = SpliceBytes(node!, random, [.. "\""u8, .. Encoding.UTF8.GetBytes(prefix), .. bad, .. "\""u8], out field);
                break;
            case Hostility.LoneSurrogate:
                body = Splice(node!, random, "\"" + LoneSurrogates[random.Next(LoneSurrogates.Length)] + "\"", out field);
                break;
            case Hostility.WrongContentType:
                string?[] contentTypes = target.BodyKind == BodyKind.Form
                    ? ["application/json", "text/plain", "multipart/form-data; boundary=x", null]
                    : ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json; charset=utf-7",
                        "application/jsonx", null, "*/*", "json"];
                contentType = contentTypes[random.Next(contentTypes.Length)];
                break;
            case Hostility.EnormousBody:
                // Past the 1 MiB limit by a little or a lot; a chunked body carries no length for the gateway to check up front.
                var size = (int)Havale.Api.Platform.Limits.RequestBodyBytesMax + random.Next(1, 2 * 1024 * 1024);
                var huge = new byte[size];
                var filler = "{\"amount\": \""u8.ToArray();
                filler.CopyTo(huge, 0);
                huge.AsSpan(filler.Length).Fill((byte)'7');
                body = huge;
                isChunked = random.Next(2) == 0;
                contentType ??= "application/json";
                break;
            case Hostility.PathParameter:
                var parameters = target.PathParameters;
                var replacedName = parameters[random.Next(parameters.Count)];
                var replacedValue = BadPathValues[random.Next(BadPathValues.Length)];
                if (replacedValue == FuzzTarget.PathValues[replacedName] || replacedName == "documentName")
                {
                    replacedValue = "x%27y";
                }
                path = target.Path(new Dictionary<string, string> { [replacedName] = replacedValue });
                field = replacedName;
                break;
            case Hostility.PathShape:
                string[] shapes = ["/x", "/../x", "/%2e%2e/x", "//", "/%1F", "/;x=1", "/" + new string('a', 1_500)];
                var shape = shapes[random.Next(shapes.Length)];
                path = random.Next(2) == 0 ? path + shape : path.Replace("/v2/", "/v3/", StringComparison.Ordinal) + (path.Contains("/v2/", StringComparison.Ordinal) ? "" : shape);
                break;
            case Hostility.TrackId:
                string[] trackIdShapes = ["trackId={0}", "trackId={0}&trackId=" + trackId, "trackid={0}", "trackId[]={0}", "{0}"];
                var badTrackId = Uri.EscapeDataString(BadTrackIds[random.Next(BadTrackIds.Length)]);
                query = string.Format(System.Globalization.CultureInfo.InvariantCulture, trackIdShapes[random.Next(trackIdShapes.Length)], badTrackId)
                        + target.Query;
                field = "trackId";
                break;
            case Hostility.QueryParameter:
                string[] queryShapes = ["&{0}={1}", "&{0}", "&{0}={1}&{0}={1}", "&{1}={0}", "&" + new string('q', 3_000) + "={1}"];
                var name = target.Query.Length > 1 ? target.Query.TrimStart('&').Split('&')[random.Next(target.Query.TrimStart('&').Split('&').Length)].Split('=')[0] : "limit";
                var hostileValue = Uri.EscapeDataString(random.Next(2) == 0 ? BadPathValues[random.Next(BadPathValues.Length)].Replace("%", "", StringComparison.Ordinal)
                    : HostileText[random.Next(HostileText.Length)]);
                query = $"trackId={trackId}" + string.Format(System.Globalization.CultureInfo.InvariantCulture, queryShapes[random.Next(queryShapes.Length)],
                    name, hostileValue);
                field = name;
                break;
            case Hostility.Credentials:
                credential = BadCredentials[random.Next(BadCredentials.Length)];
                break;
            case Hostility.WrongMethod:
                var unmapped = Methods.Where(candidate => !methodsOnTemplate.Contains(candidate)).ToList();
                method = unmapped[random.Next(unmapped.Count)];
                break;
        }
        return new FuzzRequest(target, hostility, method, path + "?" + query, body, contentType, target.Auth, credential, isChunked, field, isDecorated);
    }

    /// <summary>Body mutations need a JSON body; a route without one gets a mutation of its path, query or credentials instead.</summary>
    private static Hostility Applicable(FuzzTarget target, Hostility hostility, Random random)
    {
        var isBodyHostility = hostility is >= Hostility.TruncatedJson and <= Hostility.EnormousBody;
        if (isBodyHostility && target.BodyKind != BodyKind.Json && !(hostility is Hostility.WrongContentType or Hostility.EnormousBody && target.BodyKind == BodyKind.Form))
        {
            Hostility[] others = [Hostility.PathShape, Hostility.TrackId, Hostility.QueryParameter, Hostility.Credentials, Hostility.WrongMethod, Hostility.PathParameter];
            hostility = others[random.Next(others.Length)];
        }
        if (hostility == Hostility.QueryParameter && !target.IsRead)
        {
            // Parameters a write route does not read would leave a valid payment valid; its trackId is what it reads.
            hostility = Hostility.TrackId;
        }
        if (hostility == Hostility.TrackId && !target.IsRead && !target.RequiresTrackId)
        {
            // The token and sandbox routes take a trackId only to echo it: leaving it out leaves the call valid.
            hostility = target.Auth == TargetAuth.None ? Hostility.PathShape : Hostility.Credentials;
        }
        if (hostility == Hostility.PathParameter && target.PathParameters.Count == 0)
        {
            hostility = Hostility.PathShape;
        }
        if (hostility == Hostility.Credentials && target.Auth == TargetAuth.None)
        {
            hostility = Hostility.PathShape;
        }
        return hostility;
    }

    /// <summary>Puts hostile text into one string field; reports whether it found one.</summary>
    private static bool Decorate(JsonNode node, Random random)
    {
        var strings = Values(node).Where(value => value.GetValueKind() == JsonValueKind.String).ToList();
        if (strings.Count == 0)
        {
            return false;
        }
        var chosen = strings[random.Next(strings.Count)];
        Replace(chosen, JsonValue.Create(HostileText[random.Next(HostileText.Length)]));
        return true;
    }

    private static byte[] SpliceWrongType(JsonNode node, Random random, out string field)
    {
        var values = Values(node).ToList();
        var chosen = values[random.Next(values.Count)];
        field = Leaf(chosen);
        string replacement;
        if (chosen.GetValueKind() == JsonValueKind.String && Leaf(chosen) != "amount")
        {
            string[] forStrings = ["12", "true", "[]", "{}", "[\"a\"]", "-1.5"];
            replacement = forStrings[random.Next(forStrings.Length)];
        }
        else if (chosen.GetValueKind() is JsonValueKind.Array)
        {
            string[] forArrays = ["\"a\"", "12", "{}", "true", "[1]", "[\"x\"]", "[[]]"];
            replacement = forArrays[random.Next(forArrays.Length)];
        }
        else
        {
            string[] forOthers = ["true", "false", "[]", "{}", "[1]", "{\"a\": 1}"];
            replacement = forOthers[random.Next(forOthers.Length)];
        }
        Replace(chosen, JsonValue.Create(Placeholder));
        return Encoding.UTF8.GetBytes(Serialize(node).Replace(Quoted(Placeholder), replacement, StringComparison.Ordinal));
    }

    /// <summary>A bad number where the body has a number (or an amount, which may be a numeric string); a string field's text may be anything.</summary>
    private static byte[] SpliceBadNumber(JsonNode node, Random random, out string field)
    {
        var numbers = Values(node).Where(value => value.GetValueKind() == JsonValueKind.Number || Leaf(value) == "amount").ToList();
        if (numbers.Count == 0)
        {
            return SpliceWrongType(node, random, out field);
        }
        var chosen = numbers[random.Next(numbers.Count)];
        field = Leaf(chosen);
        Replace(chosen, JsonValue.Create(Placeholder));
        return Encoding.UTF8.GetBytes(Serialize(node).Replace(Quoted(Placeholder), BadNumbers[random.Next(BadNumbers.Length)], StringComparison.Ordinal));
    }

    private static byte[] Splice(JsonNode node, Random random, string rawJson, out string field)
        => SpliceBytes(node, random, Encoding.UTF8.GetBytes(rawJson), out field);

    /// <summary>Replaces one value anywhere in the body with raw bytes, which may be anything (invalid UTF-8 included).</summary>
    private static byte[] SpliceBytes(JsonNode node, Random random, byte[] raw, out string field)
    {
        var values = Values(node).Where(value => value.GetValueKind() is not (JsonValueKind.Array or JsonValueKind.Object)).ToList();
        var chosen = values[random.Next(values.Count)];
        field = Leaf(chosen);
        Replace(chosen, JsonValue.Create(Placeholder));
        var text = Encoding.UTF8.GetBytes(Serialize(node));
        var marker = Encoding.UTF8.GetBytes(Quoted(Placeholder));
        var at = text.AsSpan().IndexOf(marker);
        return [.. text.AsSpan(0, at), .. raw, .. text.AsSpan(at + marker.Length)];
    }

    /// <summary>Every value under an object property or array slot, depth first.</summary>
    private static IEnumerable<JsonNode> Values(JsonNode node)
    {
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject jsonObject => jsonObject.Select(property => property.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            yield return child;
            foreach (var below in Values(child))
            {
                yield return below;
            }
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode node)
        => (node is JsonObject self ? [self] : Enumerable.Empty<JsonObject>()).Concat(Values(node).OfType<JsonObject>());

    private static void Replace(JsonNode chosen, JsonNode replacement)
    {
        switch (chosen.Parent)
        {
            case JsonObject owner:
                owner[chosen.GetPropertyName()] = replacement;
                break;
            case JsonArray array:
                array[chosen.GetElementIndex()] = replacement;
                break;
        }
    }

    /// <summary>The name a refusal should give: the property, or the property that holds the array slot.</summary>
    private static string Leaf(JsonNode node)
        => node.Parent switch
        {
            JsonObject => node.GetPropertyName(),
            JsonArray array => array.Parent is JsonObject ? array.GetPropertyName() : "request body",
            _ => "request body",
        };

    private static string Serialize(JsonNode node) => node.ToJsonString(Relaxed);

    private static string Quoted(string text) => "\"" + text + "\"";
}
