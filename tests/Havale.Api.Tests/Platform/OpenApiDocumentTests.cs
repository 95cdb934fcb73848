using System.Text.Json;
using Havale.Api.Tests.Infrastructure;

namespace Havale.Api.Tests.Platform;

/// <summary>
/// The OpenAPI document, fetched through the real host, describes every route: its body and each of its answers with
/// a schema and an example, so a client can be written from the document alone.
/// </summary>
public sealed class OpenApiDocumentTests(SqliteGateway gateway) : IClassFixture<SqliteGateway>
{
    private static readonly string[] PlatformFailures = ["400", "401", "403", "404", "429", "500"];

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
            foreach (var response in responses.EnumerateObject())
            {
                CheckJsonContent(problems, $"{method} {route} answer {response.Name}", response.Value);
            }
            problems.AddRange(PlatformFailures.Where(status => !responses.TryGetProperty(status, out _))
                .Select(status => $"{method} {route}: no {status} answer"));
            if (operation.TryGetProperty("requestBody", out var body))
            {
                CheckJsonContent(problems, $"{method} {route} body", body);
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

    private static void CheckJsonContent(List<string> problems, string where, JsonElement described)
    {
        if (!described.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json))
        {
            problems.Add($"{where}: no application/json content");
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
