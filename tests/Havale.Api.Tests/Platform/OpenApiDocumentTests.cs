namespace Havale.Api.Tests.Platform;

/// <summary>
/// The OpenAPI document, fetched through the real host, describes every route: its body and each of its answers with
/// a schema and an example, so a client can be written from the document alone. The API answers JSON with the
/// platform's failures; standard OAuth's token path answers OAuth's JSON and its own failures; the consent page and the
/// signatory console answer a browser with HTML pages.
/// </summary>
public sealed class OpenApiDocumentTests(SqliteGateway gateway) : IClassFixture<SqliteGateway>
{
    private static readonly string[] PlatformFailures = ["400", "401", "403", "404", "429", "500"];
    private static readonly string[] StandardOAuthFailures = ["400", "401"];
    private static readonly string[] PageTags = ["Consent", "Signatory console"];
    private const string StandardTokenRoute = "/connect/token";

    [Fact]
    public async Task every_route_has_a_schema_and_an_example_for_its_body_and_for_each_answer()
    {
        var document = await DocumentAsync();
        var problems = new List<string>();
        var operations = 0;
        foreach (var (route, method, operation) in Operations(document))
        {
            operations++;
            var responses = operation.GetProperty("responses");
            if (!responses.EnumerateObject().Any(response => response.Name.StartsWith('2')))
            {
                problems.Add($"{method} {route}: no success answer");
            }
            if (IsPage(operation))
            {
                // A redirect carries no body; every page answer is HTML.
                foreach (var response in responses.EnumerateObject().Where(response => !response.Name.StartsWith('3')))
                {
                    CheckContent(problems, $"{method} {route} answer {response.Name}", response.Value, "text/html");
                }
                continue;
            }
            foreach (var response in responses.EnumerateObject())
            {
                CheckJsonContent(problems, $"{method} {route} answer {response.Name}", response.Value);
            }
            var failures = route == StandardTokenRoute ? StandardOAuthFailures : PlatformFailures;
            problems.AddRange(failures.Where(status => !responses.TryGetProperty(status, out _))
                .Select(status => $"{method} {route}: no {status} answer"));
            if (operation.TryGetProperty("requestBody", out var body))
            {
                if (route == StandardTokenRoute)
                {
                    CheckContent(problems, $"{method} {route} body", body, "application/x-www-form-urlencoded");
                }
                else
                {
                    CheckJsonContent(problems, $"{method} {route} body", body);
                }
            }
        }

        Assert.Empty(problems);
        Assert.True(operations >= 30, $"only {operations} operations in the document");
    }

    [Fact]
    public async Task a_kilid_order_is_described_with_persian_text_in_its_examples()
    {
        var document = await DocumentAsync();
        var create = Operations(document).Single(operation => operation.Method == "post" && operation.Route.EndsWith("/deposits/{deposit}/requests", StringComparison.Ordinal))
            .Operation;

        var body = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        var answer = create.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");
        var refusal = create.GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/json").GetProperty("example");

        Assert.Equal("حقوق آذر", body.GetProperty("destinations")[0].GetProperty("description").GetString());
        Assert.Equal("پرداخت آذرماه", answer.GetProperty("result").GetProperty("note").GetString());
        Assert.Equal("DONE", answer.GetProperty("status").GetString());
        Assert.Equal("حساب مقصد نامعتبر است", refusal.GetProperty("result").GetProperty("farsi_message").GetString());
    }

    [Fact]
    public async Task the_token_consent_and_signatory_console_routes_are_in_the_document()
    {
        var document = await DocumentAsync();
        var described = Operations(document).Select(operation => $"{operation.Method} {operation.Route}").ToHashSet(StringComparer.Ordinal);
        string[] expected =
        [
            "post /dev/v2/oauth2/token", "post /connect/token", "post /sandbox/v1/tokens",
            "get /dev/v2/oauth2/authorize", "post /dev/v2/oauth2/authorize", "post /dev/v2/oauth2/login",
            "get /console/login", "post /console/login", "post /console/logout", "get /console",
            "get /console/deposits/{deposit}", "get /console/deposits/{deposit}/statement", "get /console/deposits/{deposit}/orders/{order}",
            "get /console/deposits/{deposit}/orders/{order}/{action}", "post /console/deposits/{deposit}/orders/{order}/{action}",
        ];

        Assert.Subset(described, expected.ToHashSet(StringComparer.Ordinal));
        Assert.DoesNotContain("get /console/console.css", described);
        // A form post that moves the browser on says so: the consent's answer goes back to the client, a console act to the order.
        Assert.True(Responses(document, "post", "/dev/v2/oauth2/authorize").TryGetProperty("302", out _));
        Assert.True(Responses(document, "post", "/console/deposits/{deposit}/orders/{order}/{action}").TryGetProperty("303", out _));
    }

    private static JsonElement Responses(JsonElement document, string method, string route)
        => Operations(document).Single(operation => operation.Method == method && operation.Route == route).Operation.GetProperty("responses");

    [Fact]
    public async Task finnotechs_token_path_is_described_with_its_json_body_and_its_envelope()
    {
        var document = await DocumentAsync();
        var token = Operations(document).Single(operation => operation.Method == "post" && operation.Route == "/dev/v2/oauth2/token").Operation;

        var body = token.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        var answer = token.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");

        Assert.Equal("client_credentials", body.GetProperty("grant_type").GetString());
        Assert.Equal("DONE", answer.GetProperty("status").GetString());
        Assert.Equal("CLIENT-CREDENTIAL", answer.GetProperty("result").GetProperty("type").GetString());
    }

    [Fact]
    public async Task no_schema_in_the_document_is_empty()
    {
        var document = await DocumentAsync();
        var empty = new List<string>();
        var schemas = 0;
        foreach (var (where, schema) in Schemas(document))
        {
            schemas++;
            if (!schema.EnumerateObject().Any(keyword => SchemaKeywords.Contains(keyword.Name)))
            {
                empty.Add(where);
            }
        }

        // An empty schema ({}) accepts anything, so a client written from the document knows nothing of that value.
        Assert.True(empty.Count == 0, $"{empty.Count} empty schemas: {string.Join("; ", empty)}");
        Assert.True(schemas >= 100, $"only {schemas} schemas in the document");
    }

    [Fact]
    public async Task identifier_parameters_say_their_length_and_shape()
    {
        var document = await DocumentAsync();
        var iban = Parameter(document, "get", "/oak/v2/clients/{clientId}/ibanInquiry", "iban");
        var deposit = Parameter(document, "get", "/keylead/v2/clients/{clientId}/users/{nid}/deposits/{deposit}/requests", "deposit");
        var inquiryTrackId = Parameter(document, "get", "/oak/v2/clients/{clientId}/transactionInquiry", "inquiryTrackId");

        Assert.Equal(26, iban.GetProperty("maxLength").GetInt32());
        Assert.Equal("^IR[0-9]{24}$", iban.GetProperty("pattern").GetString());
        Assert.Equal(13, deposit.GetProperty("maxLength").GetInt32());
        Assert.Equal("^[0-9]{13}$", deposit.GetProperty("pattern").GetString());
        Assert.Equal(40, inquiryTrackId.GetProperty("maxLength").GetInt32());
        Assert.Equal("^[A-Za-z0-9-]{1,40}$", inquiryTrackId.GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task every_placeholder_of_every_path_is_a_required_path_parameter_with_a_schema()
    {
        var document = await DocumentAsync();
        var missing = new List<string>();
        foreach (var (route, method, operation) in Operations(document))
        {
            var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
            foreach (System.Text.RegularExpressions.Match placeholder in System.Text.RegularExpressions.Regex.Matches(route, "{([^}]+)}"))
            {
                var name = placeholder.Groups[1].Value;
                var described = parameters.Any(parameter => parameter.GetProperty("name").GetString() == name
                    && parameter.GetProperty("in").GetString() == "path"
                    && parameter.TryGetProperty("required", out var required) && required.GetBoolean()
                    && parameter.TryGetProperty("schema", out var schema) && schema.TryGetProperty("type", out _));
                if (!described)
                {
                    missing.Add($"{method} {route}: {{{name}}}");
                }
            }
        }
        var clientId = Parameter(document, "post", "/oak/v2/clients/{clientId}/instantPayment", "clientId");

        Assert.True(missing.Count == 0, $"path placeholders without a parameter: {string.Join("; ", missing)}");
        Assert.Equal(64, clientId.GetProperty("maxLength").GetInt32());
        Assert.Equal(13, Parameter(document, "post", "/keylead/v2/clients/{clientId}/users/{nid}/deposits/{deposit}/requests", "deposit")
            .GetProperty("maxLength").GetInt32());
    }

    [Fact]
    public async Task the_trackId_is_described_and_required_where_the_call_moves_money()
    {
        var document = await DocumentAsync();
        var pay = Parameter(document, "post", "/oak/v2/clients/{clientId}/instantPayment", "trackId", out var payRequired);
        Parameter(document, "get", "/oak/v2/clients/{clientId}/ibanInquiry", "trackId", out var inquiryRequired);

        Assert.True(payRequired);
        Assert.False(inquiryRequired);
        Assert.Equal(40, pay.GetProperty("maxLength").GetInt32());
    }

    private static JsonElement Parameter(JsonElement document, string method, string route, string name)
        => Parameter(document, method, route, name, out _);

    private static JsonElement Parameter(JsonElement document, string method, string route, string name, out bool isRequired)
    {
        var parameter = Operations(document).Single(operation => operation.Method == method && operation.Route == route).Operation
            .GetProperty("parameters").EnumerateArray().Single(parameter => parameter.GetProperty("name").GetString() == name);
        isRequired = parameter.TryGetProperty("required", out var required) && required.GetBoolean();
        return parameter.GetProperty("schema");
    }

    /// <summary>The keywords that say what a value is; a schema with none of them (only a description, say) says nothing.</summary>
    private static readonly HashSet<string> SchemaKeywords = new(StringComparer.Ordinal)
    {
        "$ref", "type", "properties", "items", "additionalProperties", "allOf", "oneOf", "anyOf", "enum", "const", "format", "pattern",
    };

    /// <summary>
    /// Every schema of the document, named by where it is: the components, each body's and answer's, each parameter's,
    /// and every schema nested in those (properties, items, additional properties, compositions).
    /// </summary>
    private static IEnumerable<(string Where, JsonElement Schema)> Schemas(JsonElement document)
    {
        if (document.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var named))
        {
            foreach (var schema in named.EnumerateObject())
            {
                foreach (var found in Nested($"#/components/schemas/{schema.Name}", schema.Value))
                {
                    yield return found;
                }
            }
        }
        foreach (var (route, method, operation) in Operations(document))
        {
            foreach (var found in SchemasUnder($"{method} {route}", operation))
            {
                yield return found;
            }
        }
    }

    /// <summary>The schemas of an operation: every "schema" property in its parameters, body and answers.</summary>
    private static IEnumerable<(string Where, JsonElement Schema)> SchemasUnder(string where, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var found = property.Name == "schema" && property.Value.ValueKind == JsonValueKind.Object
                        ? Nested($"{where} schema", property.Value)
                        : property.Name is "example" or "examples" ? [] : SchemasUnder($"{where} {property.Name}", property.Value);
                    foreach (var schema in found)
                    {
                        yield return schema;
                    }
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var schema in SchemasUnder($"{where}[{index++}]", item))
                    {
                        yield return schema;
                    }
                }
                break;
        }
    }

    private static IEnumerable<(string Where, JsonElement Schema)> Nested(string where, JsonElement schema)
    {
        yield return (where, schema);
        var children = new List<(string, JsonElement)>();
        if (schema.TryGetProperty("properties", out var properties))
        {
            children.AddRange(properties.EnumerateObject().Select(property => ($"{where}.{property.Name}", property.Value)));
        }
        if (schema.TryGetProperty("items", out var items))
        {
            children.Add(($"{where}[]", items));
        }
        if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
        {
            children.Add(($"{where}{{}}", additional));
        }
        foreach (var composition in new[] { "allOf", "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(composition, out var parts))
            {
                children.AddRange(parts.EnumerateArray().Select((part, index) => ($"{where} {composition}[{index}]", part)));
            }
        }
        foreach (var (childWhere, child) in children)
        {
            foreach (var found in Nested(childWhere, child))
            {
                yield return found;
            }
        }
    }

    private static bool IsPage(JsonElement operation)
        => operation.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(tag => PageTags.Contains(tag.GetString()));

    private static void CheckJsonContent(List<string> problems, string where, JsonElement described)
        => CheckContent(problems, where, described, "application/json");

    private static void CheckContent(List<string> problems, string where, JsonElement described, string contentType)
    {
        if (!described.TryGetProperty("content", out var content) || !content.TryGetProperty(contentType, out var json))
        {
            problems.Add($"{where}: no {contentType} content");
            return;
        }
        if (!json.TryGetProperty("schema", out _))
        {
            problems.Add($"{where}: no schema");
        }
        if (!json.TryGetProperty("example", out _))
        {
            problems.Add($"{where}: no example");
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var text = await gateway.CreateClient().GetStringAsync("/openapi/v1.json");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static IEnumerable<(string Route, string Method, JsonElement Operation)> Operations(JsonElement document)
        => document.GetProperty("paths").EnumerateObject().SelectMany(path => path.Value.EnumerateObject()
            .Where(method => method.Name is "get" or "post" or "put" or "patch" or "delete")
            .Select(method => (path.Name, method.Name, method.Value)));
}
