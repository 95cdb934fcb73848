namespace Havale.Api.Tests.Auth;

/// <summary>
/// A token whose signature was checked is trusted on that check for a while (Auth/VerifiedTokens): what it skips is
/// only the signature. A token that has been used and then expires, is revoked or is altered is refused all the same.
/// </summary>
public abstract class VerifiedTokensTests(HavaleFactory gateway)
{
    private static readonly ProtectedRoute Read = ProtectedRoutes.All.Single(route => route.Template == "/probe/v2/clients/{clientId}/read");

    private readonly HttpClient _anonymous = gateway.CreateJsonClient();

    [Fact]
    public async Task a_token_used_before_is_refused_once_it_has_expired()
    {
        var token = await UsedTokenAsync();

        gateway.Clock.Advance(TimeSpan.FromDays(11));

        var answer = await CallAsync(token);
        answer.ShouldFail(HttpStatusCode.Forbidden, "VALIDATION_ERROR");
        Assert.Equal(FinnotechAccessMiddleware.InvalidTokenMessage, answer.ErrorMessage);
    }

    [Fact]
    public async Task a_token_used_before_is_refused_as_soon_as_it_is_revoked()
    {
        var token = await UsedTokenAsync();
        var revoker = (await _anonymous.ClientCredentialAsync(Scopes.IbanInquiry)).Value();
        (await gateway.WithBearer(revoker).CallAsync(HttpMethod.Delete, "/dev/v2/clients/havale-demo/token",
            $"{{\"token\": \"{token}\", \"token_type\": \"CODE\"}}")).ShouldSucceed();

        (await CallAsync(token)).ShouldFail(HttpStatusCode.Forbidden, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task a_token_used_before_and_then_altered_is_refused()
    {
        var token = await UsedTokenAsync();
        var parts = token.Split('.');
        // The same header and payload with one character inside the signature changed (not the last, whose low bits
        // are padding that a decoder may ignore): another string, and a signature that does not match.
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        var altered = $"{parts[0]}.{parts[1]}.{new string(signature)}";

        (await CallAsync(altered)).ShouldFail(HttpStatusCode.Forbidden, "VALIDATION_ERROR");
        // And the genuine one still passes.
        Assert.NotEqual(HttpStatusCode.Forbidden, (await CallAsync(token)).Status);
    }

    /// <summary>
    /// Many calls at once with one token, each on its own copy of the kept claims: OpenIddict rewrites the scope claims
    /// of the principal it is given, and copies that shared their claim lists once failed calls 500 under a flood.
    /// </summary>
    [Fact]
    public async Task many_calls_at_once_with_one_token_used_before_are_all_authenticated()
    {
        var token = await UsedTokenAsync();
        const int CallsAtOnce = 64;

        var answers = await Task.WhenAll(Enumerable.Range(0, CallsAtOnce).Select(_ => Task.Run(() => CallAsync(token))));

        Assert.All(answers, answer => Assert.True(answer.Status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            && (int)answer.Status < 500, $"{(int)answer.Status}: {answer.Raw}"));
    }

    private async Task<string> UsedTokenAsync()
    {
        var token = (await _anonymous.SandboxCodeAsync(Read.Scope!)).Value();
        var first = await CallAsync(token);
        Assert.NotEqual(HttpStatusCode.Unauthorized, first.Status);
        Assert.NotEqual(HttpStatusCode.Forbidden, first.Status);
        return token;
    }

    private Task<Answer> CallAsync(string token) => gateway.WithBearer(token).CallAsync(new HttpMethod(Read.Method), Read.Uri(Seed.DemoClient), Read.Body);
}

public sealed class VerifiedTokensTests_on_sqlite(SqliteGateway gateway) : VerifiedTokensTests(gateway), IClassFixture<SqliteGateway>;

public sealed class VerifiedTokensTests_on_postgres(PostgresGateway gateway) : VerifiedTokensTests(gateway), IClassFixture<PostgresGateway>;

/// <summary>The kept claims are copied whole each way, so that no call's changes reach the cache or another call.</summary>
public sealed class VerifiedTokensCopyTests
{
    [Fact]
    public void a_claim_added_to_a_kept_tokens_principal_reaches_neither_the_cache_nor_the_next_call()
    {
        var verified = new VerifiedTokens();
        var checkedPrincipal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim("scope", "oak:iban-inquiry:get")], "Bearer"));
        verified.Add("token", checkedPrincipal);
        ((System.Security.Claims.ClaimsIdentity)checkedPrincipal.Identity!).AddClaim(new System.Security.Claims.Claim("after", "add"));

        Assert.True(verified.TryGet("token", out var first));
        ((System.Security.Claims.ClaimsIdentity)first.Identity!).AddClaim(new System.Security.Claims.Claim("scope", "oak:instant-payment:post"));
        Assert.True(verified.TryGet("token", out var second));

        Assert.Equal(["oak:iban-inquiry:get"], second.FindAll("scope").Select(claim => claim.Value));
        Assert.Empty(second.FindAll("after"));
        Assert.NotSame(first.Identity, second.Identity);
        Assert.Equal("Bearer", second.Identity!.AuthenticationType);
    }
}
