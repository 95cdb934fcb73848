using System.Net.Http.Headers;
using System.Text;
using Havale.Api.Platform;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// Issue #10's hostile-input finding: a JSON string whose bytes are not UTF-8 (or whose escapes are an unpaired
/// surrogate) got a 500 from the token endpoint and Kilid create, and "has the wrong type" from instantPayment. Each is
/// now a 400 that names the field and says what is wrong with it.
/// </summary>
public abstract class InvalidTextTests(HavaleFactory gateway)
{
    private static readonly byte[] NotUtf8 = [0xC3, 0x28];

    private const string KilidCreate = "/keylead/v2/clients/havale-demo/users/0012345679/deposits/0302876732315/requests";

    public static TheoryData<string> Spellings() => new() { "bytes", "surrogate" };

    /// <summary>The body with <c>BAD</c> replaced by a string holding invalid UTF-8 bytes or an unpaired surrogate escape.</summary>
    private static ByteArrayContent Body(string template, string spelling)
    {
        var at = template.IndexOf("BAD", StringComparison.Ordinal);
        byte[] bad = spelling == "bytes" ? [.. "\"ab"u8, .. NotUtf8, .. "\""u8] : "\"ab\\ud800\""u8.ToArray();
        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(template[..at]), .. bad, .. Encoding.UTF8.GetBytes(template[(at + 3)..])]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<Answer> SendAsync(HttpClient client, string uri, string template, string spelling,
        AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = Body(template, spelling) };
        request.Headers.Authorization = authorization;
        return await client.SendRawAsync(request);
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task the_token_endpoint_names_a_field_that_is_not_text(string spelling)
    {
        var answer = await SendAsync(gateway.CreateJsonClient(), "/dev/v2/oauth2/token",
            """{"grant_type": "client_credentials", "nid": BAD, "scopes": "oak:iban-inquiry:get"}""", spelling,
            Tokens.Basic(Seed.DemoClient, Seed.DemoSecret));
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal($"nid: {HavaleJson.NotTextReason}", answer.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task the_sandbox_token_endpoint_names_a_list_entry_that_is_not_text(string spelling)
    {
        var answer = await SendAsync(gateway.CreateJsonClient(), "/sandbox/v1/tokens",
            """{"grant_type": "authorization_code", "nid": "0012345679", "deposits": ["0302876732315", BAD], "scopes": "oak:instant-payment:post", "limit": 1000}""",
            spelling, Tokens.Basic(Seed.DemoClient, Seed.DemoSecret));
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal($"deposits[1]: {HavaleJson.NotTextReason}", answer.ErrorMessage);
    }

    public static TheoryData<string, string, string> KilidFields()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var spelling in new[] { "bytes", "surrogate" })
        {
            cases.Add(spelling, """{"destinations": [{"amount": "12000", "number": "0201648361007", "description": BAD}], "nationalCode": "0012345679"}""",
                "destinations[0].description");
            cases.Add(spelling, """{"destinations": [{"amount": "12000", "number": "0201648361007"}], "note": BAD, "nationalCode": "0012345679"}""", "note");
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(KilidFields))]
    public async Task kilid_create_names_a_field_that_is_not_text(string spelling, string template, string field)
    {
        var client = gateway.WithBearer((await gateway.CreateJsonClient().SandboxCodeAsync(Scopes.KilidRequestCreate)).Value());
        var answer = await SendAsync(client, KilidCreate + "?trackId=" + Guid.NewGuid().ToString("N"), template, spelling);
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal($"{field}: {HavaleJson.NotTextReason}", answer.ErrorMessage);
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task instant_payment_says_a_name_is_not_text_rather_than_of_the_wrong_type(string spelling)
    {
        var client = gateway.WithBearer((await gateway.CreateJsonClient().SandboxCodeAsync(Scopes.InstantPayment)).Value());
        var answer = await SendAsync(client, "/oak/v2/clients/havale-demo/instantPayment?trackId=" + Guid.NewGuid().ToString("N"),
            """{"amount": 1000, "reasonDescription": "19", "destinationFirstname": BAD, "destinationLastname": "دولت آبادی", "destinationNumber": "IR370120000000003141592653"}""",
            spelling);
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal($"destinationFirstname: {HavaleJson.NotTextReason}", answer.ErrorMessage);
    }

    [Fact]
    public async Task a_nul_in_the_query_string_is_refused_before_it_reaches_the_database()
    {
        // Found by the long fuzz run: the consent page's client_id with %00 reached PostgreSQL, which refused it (22021): a 500.
        var answer = await gateway.CreateJsonClient().GetEnvelopeAsync("/dev/v2/oauth2/authorize?client_id=ab%00cd&response_type=code");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("query string holds a NUL character (%00)", answer.ErrorMessage);
    }

    [Fact]
    public async Task a_token_request_naming_a_field_twice_is_refused()
    {
        var answer = await gateway.CreateJsonClient().PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret,
            """{"grant_type": "client_credentials", "nid": "0012345679", "scopes": "oak:iban-inquiry:get", "nid": "0012345679"}""");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("nid: is given more than once", answer.ErrorMessage);
    }

    [Theory]
    [InlineData("{}", "bank: has the wrong type")]
    [InlineData("[]", "bank: has the wrong type")]
    [InlineData("62", "bank: must be the 3-digit code of a bank Havale knows, e.g. 062")]
    [InlineData("\"999\"", "bank: must be the 3-digit code of a bank Havale knows, e.g. 062")]
    public async Task a_token_request_with_a_bank_that_is_not_a_known_code_is_refused(string bankJson, string expected)
    {
        var answer = await gateway.CreateJsonClient().PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret,
            $$"""{"grant_type": "client_credentials", "nid": "0012345679", "scopes": "oak:iban-inquiry:get", "bank": {{bankJson}}}""");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(expected, answer.ErrorMessage);
    }

    [Fact]
    public async Task the_finnotech_token_path_answers_a_wrong_method_with_405_in_the_envelope()
    {
        var answer = await gateway.CreateJsonClient().CallAsync(HttpMethod.Delete, "/dev/v2/oauth2/token");
        answer.ShouldFail(HttpStatusCode.MethodNotAllowed, "VALIDATION_ERROR");
    }

    [Theory]
    [InlineData("/dev/v2/oauth2/login", "text/plain")]
    [InlineData("/console/login", "application/json")]
    public async Task a_login_post_that_is_not_a_form_is_refused_with_415(string path, string contentType)
    {
        var answer = await gateway.CreateJsonClient().CallAsync(HttpMethod.Post, path, "{\"nid\": \"0012345679\"}", contentType);
        answer.ShouldFail(HttpStatusCode.UnsupportedMediaType, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task a_login_post_whose_multipart_body_ends_early_is_refused_with_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/console/login") { Content = new StringContent("nid=0012345679") };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        var answer = await gateway.CreateJsonClient().SendRawAsync(request);
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}

public sealed class InvalidTextTests_on_sqlite(SqliteGateway gateway) : InvalidTextTests(gateway), IClassFixture<SqliteGateway>;

public sealed class InvalidTextTests_on_postgres(PostgresGateway gateway) : InvalidTextTests(gateway), IClassFixture<PostgresGateway>;
