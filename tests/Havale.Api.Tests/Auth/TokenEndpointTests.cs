using System.Net.Http.Headers;
using System.Text;

namespace Havale.Api.Tests.Auth;

/// <summary>
/// The token endpoint as the public Finnotech clients use it, byte for byte, and its refusals. Bodies are written as
/// the clients write them (Python's json.dumps puts a space after ':' and ','; the JS SDK's JSON.stringify does not).
/// </summary>
public abstract class TokenEndpointTests(HavaleFactory gateway)
{
    private readonly HttpClient _client = gateway.CreateJsonClient();

    private static readonly string[] ResultFields =
    [
        "value", "refreshToken", "scopes", "lifeTime", "creationDate", "type", "bank", "userId", "deposits", "clientId",
        "maxAmountPerTransaction", "monthlyCallLimitation",
    ];

    [Fact]
    public async Task pyfinnotech_gets_a_client_credential_token_and_reads_its_payload()
    {
        // pyfinnotech: requests.post(url + "?trackId=" + uuid, auth=(client_id, secret), json={...}).
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/dev/v2/oauth2/token?trackId={Guid.NewGuid()}")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(
                "{\"grant_type\": \"client_credentials\", \"nid\": \"0012345679\", \"scopes\": \"oak:iban-inquiry:get,oak:transaction-inquiry:get\"}")),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = Tokens.Basic(Seed.DemoClient, Seed.DemoSecret);

        var answer = (await _client.SendRawAsync(request)).ShouldSucceed();

        Assert.Equal(ResultFields.Order(), answer.Result.EnumerateObject().Select(field => field.Name).Order());
        Assert.Equal("CLIENT-CREDENTIAL", answer.Result.GetProperty("type").GetString());
        Assert.Equal(864_000_000, answer.Result.GetProperty("lifeTime").GetInt64());
        var payload = Tokens.Payload(answer.Result.Value());
        Assert.Equal(Seed.DemoClient, payload.GetProperty("clientId").GetString());
        Assert.Equal(Seed.DemoNid, payload.GetProperty("userId").GetString());
        Assert.Equal(["oak:iban-inquiry:get", "oak:transaction-inquiry:get"], payload.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("deposits").ValueKind);
        Assert.Equal(Seed.DemoAmountRialsMax, payload.GetProperty("maxAmountPerTransaction").GetInt64());
        Assert.Equal("CLIENT-CREDENTIAL", payload.GetProperty("type").GetString());
        Assert.Equal("062", payload.GetProperty("bank").GetString());
        Assert.Equal(864_000_000, payload.GetProperty("lifeTime").GetInt64());
        Assert.Matches("^14[0-9]{12}$", payload.GetProperty("creationDate").GetString());
        Assert.Equal(answer.Result.GetProperty("creationDate").GetString(), payload.GetProperty("creationDate").GetString());
    }

    [Fact]
    public async Task finnotech_js_sdk_refreshes_an_invalid_client_credential_token_and_retries_with_a_new_trackId()
    {
        var issued = await _client.ClientCredentialAsync(Scopes.IbanInquiry);
        gateway.Clock.Advance(TimeSpan.FromDays(11));
        var refused = await gateway.WithBearer(issued.Value()).GetEnvelopeAsync($"/probe/v2/clients/{Seed.DemoClient}/read?trackId=js-{Guid.NewGuid():N}");
        refused.ShouldFail(HttpStatusCode.Forbidden, "VALIDATION_ERROR");
        Assert.Equal("invalid token", refused.ErrorMessage);

        // The SDK's refresh body: exactly these three fields, no bank.
        var refreshToken = issued.GetProperty("refreshToken").GetString();
        var refreshed = (await _client.PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret,
            $"{{\"grant_type\":\"refresh_token\",\"token_type\":\"CLIENT-CREDENTIAL\",\"refresh_token\":\"{refreshToken}\"}}")).ShouldSucceed();
        var retry = await gateway.WithBearer(refreshed.Result.Value()).GetEnvelopeAsync($"/probe/v2/clients/{Seed.DemoClient}/read?trackId=R-{Guid.NewGuid()}");

        retry.ShouldSucceed();
        Assert.Equal("CLIENT-CREDENTIAL", refreshed.Result.GetProperty("type").GetString());
        Assert.NotEqual(refreshToken, refreshed.Result.GetProperty("refreshToken").GetString());
    }

    [Fact]
    public async Task a_refresh_token_rotates_and_the_old_one_is_refused_once_used()
    {
        var issued = await _client.SandboxCodeAsync(Scopes.KilidDepositsGet);
        var oldRefreshToken = issued.GetProperty("refreshToken").GetString();
        var body = $"{{\"grant_type\":\"refresh_token\",\"token_type\":\"CODE\",\"refresh_token\":\"{oldRefreshToken}\",\"bank\":\"062\"}}";
        var refreshed = (await _client.PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret, body)).ShouldSucceed();
        Assert.Equal([Seed.DemoDeposit], refreshed.Result.GetProperty("deposits").EnumerateArray().Select(deposit => deposit.GetString()));
        // OpenIddict tolerates a reuse within a short leeway (a client retrying a lost response); past it, the old token is dead.
        gateway.Clock.Advance(TimeSpan.FromMinutes(2));

        var reused = await _client.PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret, body);

        reused.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task another_clients_refresh_token_is_refused()
    {
        var issued = await _client.SandboxCodeAsync(Scopes.KilidDepositsGet);
        var answer = await _client.PostTokenAsync("/dev/v2/oauth2/token", Seed.OtherClient, Seed.OtherSecret,
            $"{{\"grant_type\":\"refresh_token\",\"refresh_token\":\"{issued.GetProperty("refreshToken").GetString()}\"}}");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Theory]
    [InlineData(Seed.DemoClient, "wrong-secret")]
    [InlineData("no-such-client", "whatever-secret")]
    public async Task wrong_client_credentials_get_401_UNAUTHORIZED(string clientId, string secret)
    {
        var answer = await _client.PostTokenAsync("/dev/v2/oauth2/token", clientId, secret,
            "{\"grant_type\": \"client_credentials\", \"nid\": \"0012345679\", \"scopes\": \"oak:iban-inquiry:get\"}");
        answer.ShouldFail(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("invalid client credentials", answer.ErrorMessage);
    }

    [Theory]
    [InlineData("{\"grant_type\": \"client_credentials\", \"nid\": \"1234567891\", \"scopes\": \"oak:iban-inquiry:get\"}", "nid: ")]
    [InlineData("{\"grant_type\": \"client_credentials\", \"scopes\": \"oak:iban-inquiry:get\"}", "nid: is required")]
    [InlineData("{\"grant_type\": \"client_credentials\", \"nid\": \"0012345679\", \"scopes\": \"oak:no-such:get\"}", "scopes: ")]
    [InlineData("{\"grant_type\": \"client_credentials\", \"nid\": \"0012345679\", \"scopes\": \"\"}", "scopes: ")]
    [InlineData("{\"grant_type\": \"password\", \"username\": \"x\", \"password\": \"y\"}", "grant_type: ")]
    [InlineData("[1, 2]", "request body must be a JSON object")]
    [InlineData("{\"grant_type\": ", "request body is not valid JSON")]
    public async Task a_bad_token_request_is_refused_naming_the_field(string json, string expected)
    {
        var answer = await _client.PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret, json);
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith(expected, answer.ErrorMessage);
    }

    [Fact]
    public async Task the_other_clients_scopes_are_not_granted()
    {
        var answer = await _client.PostTokenAsync("/dev/v2/oauth2/token", Seed.OtherClient, Seed.OtherSecret,
            "{\"grant_type\": \"client_credentials\", \"nid\": \"1234567891\", \"scopes\": \"kilid:request:create\"}");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("not registered for client havale-other", answer.ErrorMessage);
    }

    [Fact]
    public async Task the_sandbox_shortcut_returns_a_code_token_for_the_deposits_asked()
    {
        var result = await _client.SandboxCodeAsync($"{Scopes.KilidDepositsGet},{Scopes.KilidRequestCreate}", limit: 5_000_000);

        Assert.Equal(ResultFields.Order(), result.EnumerateObject().Select(field => field.Name).Order());
        Assert.Equal("CODE", result.GetProperty("type").GetString());
        Assert.Equal(5_000_000, result.GetProperty("maxAmountPerTransaction").GetInt64());
        var payload = Tokens.Payload(result.Value());
        Assert.Equal([Seed.DemoDeposit], payload.GetProperty("deposits").EnumerateArray().Select(deposit => deposit.GetString()));
        Assert.Equal("CODE", payload.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("[\"0100200300400\"]", "kilid:deposits:get", 1000, "deposits: 0100200300400 is not a deposit this person may act on")]
    [InlineData("[\"0555555555555\"]", "kilid:deposits:get", 1000, "deposits: 0555555555555 is not a deposit this person may act on")]
    [InlineData("[]", "kilid:deposits:get", 1000, "deposits: at least one deposit is required")]
    [InlineData("[\"0302876732315\"]", "kilid:deposits:get,oak:instant-payment:post", 1000, "scopes: kilid scopes may not be requested together")]
    [InlineData("[\"0302876732315\"]", "kilid:deposits:get", 100000001, "limit: 100000001 is above the 100000000 rials")]
    [InlineData("[\"0302876732315\"]", "kilid:deposits:get", 0, "limit: must be a positive number")]
    public async Task the_sandbox_shortcut_keeps_the_consent_rules(string deposits, string scopes, long limit, string expected)
    {
        var answer = await _client.PostTokenAsync("/sandbox/v1/tokens", Seed.DemoClient, Seed.DemoSecret,
            $"{{\"grant_type\": \"authorization_code\", \"nid\": \"0012345679\", \"deposits\": {deposits}, \"scopes\": \"{scopes}\", \"limit\": {limit}, \"bank\": \"062\"}}");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith(expected, answer.ErrorMessage);
    }

    [Fact]
    public async Task the_sandbox_limit_may_equal_the_clients_maximum()
    {
        var result = await _client.SandboxCodeAsync(Scopes.KilidDepositsGet, limit: Seed.DemoAmountRialsMax);
        Assert.Equal(Seed.DemoAmountRialsMax, result.GetProperty("maxAmountPerTransaction").GetInt64());
    }

    [Fact]
    public async Task the_finnotech_endpoint_does_not_mint_sandbox_grants()
    {
        var answer = await _client.PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret,
            "{\"grant_type\": \"urn:havale:params:oauth:grant-type:sandbox-consent\", \"nid\": \"0012345679\", \"deposits\": [\"0302876732315\"], \"scopes\": \"kilid:deposits:get\", \"limit\": 5}");
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task standard_oauth_clients_use_discovery_and_the_form_encoded_token_endpoint()
    {
        var discovery = await _client.GetEnvelopeAsync("/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, discovery.Status);
        Assert.EndsWith("/connect/token", discovery.Str("token_endpoint"));
        Assert.EndsWith("/dev/v2/oauth2/authorize", discovery.Str("authorization_endpoint"));
        Assert.Contains("S256", discovery.Body.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(method => method.GetString()));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["scope"] = Scopes.IbanInquiry, ["nid"] = Seed.DemoNid,
            }),
        };
        request.Headers.Authorization = Tokens.Basic(Seed.DemoClient, Seed.DemoSecret);
        var answer = await _client.SendRawAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var accessToken = answer.Str("access_token");
        (await gateway.WithBearer(accessToken).GetEnvelopeAsync($"/probe/v2/clients/{Seed.DemoClient}/read")).ShouldSucceed();
    }
}

public sealed class TokenEndpointTests_on_sqlite(SqliteGateway gateway) : TokenEndpointTests(gateway), IClassFixture<SqliteGateway>;

public sealed class TokenEndpointTests_on_postgres(PostgresGateway gateway) : TokenEndpointTests(gateway), IClassFixture<PostgresGateway>;
