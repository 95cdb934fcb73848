using System.Net;
using Havale.Api.Auth;
using Havale.Api.Tests.Infrastructure;

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
