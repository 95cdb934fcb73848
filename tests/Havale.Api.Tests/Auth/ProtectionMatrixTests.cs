using System.Text;
using Microsoft.AspNetCore.Routing;

namespace Havale.Api.Tests.Auth;

public enum Attempt
{
    NoToken,
    ForgedToken,
    ExpiredToken,
    RevokedToken,
    WrongScope,
    OtherClientsClientId,
    OtherNid,
    DepositNotGranted,
}

/// <summary>
/// Every protected route × every way of calling it without the right: the documented status and code, and never data
/// (no result, and the handler never ran).
/// </summary>
public abstract class ProtectionMatrixTests(HavaleFactory gateway)
{
    private readonly HttpClient _anonymous = gateway.CreateJsonClient();

    private ProbeEndpoints Probe => gateway.Services.GetServices<Havale.Api.Platform.IEndpointModule>().OfType<ProbeEndpoints>().Single();

    public static TheoryData<int, Attempt> Cases()
    {
        var cases = new TheoryData<int, Attempt>();
        for (var index = 0; index < ProtectedRoutes.All.Count; index++)
        {
            var route = ProtectedRoutes.All[index];
            foreach (var attempt in Enum.GetValues<Attempt>())
            {
                var applies = attempt switch
                {
                    Attempt.OtherNid => route.HasNid,
                    Attempt.DepositNotGranted => route.HasDeposit,
                    _ => true,
                };
                if (applies)
                {
                    cases.Add(index, attempt);
                }
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task a_call_without_the_right_gets_the_documented_refusal_and_no_data(int routeIndex, Attempt attempt)
    {
        var route = ProtectedRoutes.All[routeIndex];
        var executionsBefore = Probe.Executions;

        var answers = await AttemptAsync(route, attempt);

        foreach (var answer in answers)
        {
            var (status, code) = Expected(attempt);
            answer.ShouldFail(status, code);
            if (code == "VALIDATION_ERROR")
            {
                Assert.Equal(FinnotechAccessMiddleware.InvalidTokenMessage, answer.ErrorMessage);
            }
        }
        // A foreign object that exists and one that does not get the same answer, word for word.
        Assert.Single(answers.Select(answer => answer.ErrorMessage).Distinct());
        Assert.Equal(executionsBefore, Probe.Executions);
    }

    [Theory]
    [MemberData(nameof(RouteIndexes))]
    public async Task the_right_token_passes_the_access_check(int routeIndex)
    {
        var route = ProtectedRoutes.All[routeIndex];
        var answer = await CallAsync(route, route.Uri(Seed.DemoClient), await GoodTokenAsync(route));
        Assert.NotEqual(HttpStatusCode.Unauthorized, answer.Status);
        Assert.NotEqual(HttpStatusCode.Forbidden, answer.Status);
    }

    [Fact]
    public void every_route_that_requires_a_finnotech_token_is_in_the_matrix()
    {
        var protectedEndpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<FinnotechAccessMetadata>() is not null)
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(method => $"{method} {endpoint.RoutePattern.RawText}"))
            .Order().ToList();
        Assert.Equal(ProtectedRoutes.All.Select(route => route.ToString()).Order().ToList(), protectedEndpoints);
    }

    public static TheoryData<int> RouteIndexes() => new(Enumerable.Range(0, ProtectedRoutes.All.Count));

    private static (HttpStatusCode Status, string Code) Expected(Attempt attempt) => attempt switch
    {
        Attempt.NoToken => (HttpStatusCode.Unauthorized, "UNAUTHORIZED"),
        Attempt.ForgedToken or Attempt.ExpiredToken or Attempt.RevokedToken => (HttpStatusCode.Forbidden, "VALIDATION_ERROR"),
        Attempt.WrongScope or Attempt.OtherClientsClientId or Attempt.OtherNid or Attempt.DepositNotGranted => (HttpStatusCode.Forbidden, "FORBIDDEN"),
    };

    private async Task<List<Answer>> AttemptAsync(ProtectedRoute route, Attempt attempt)
    {
        var own = route.Uri(Seed.DemoClient);
        switch (attempt)
        {
            case Attempt.NoToken:
                return [await CallAsync(route, own, token: null)];
            case Attempt.ForgedToken:
                var genuine = await GoodTokenAsync(route);
                return [await CallAsync(route, own, Tamper(genuine)), await CallAsync(route, own, "not.a.jwt"),
                    await CallAsync(route, own, UnsignedCopy(genuine))];
            case Attempt.ExpiredToken:
                var aging = await GoodTokenAsync(route);
                gateway.Clock.Advance(TimeSpan.FromDays(11));
                return [await CallAsync(route, own, aging)];
            case Attempt.RevokedToken:
                var revoked = await GoodTokenAsync(route);
                var revoker = (await _anonymous.ClientCredentialAsync(Scopes.IbanInquiry)).Value();
                (await gateway.WithBearer(revoker).CallAsync(HttpMethod.Delete, "/dev/v2/clients/havale-demo/token",
                    $"{{\"token\": \"{revoked}\", \"token_type\": \"CODE\"}}")).ShouldSucceed();
                return [await CallAsync(route, own, revoked)];
            case Attempt.WrongScope:
                var wrongScope = route.TakesClientCredentialOnly
                    ? (await _anonymous.SandboxCodeAsync(Scopes.IbanInquiry)).Value()
                    : (await _anonymous.SandboxCodeAsync(route.Scope == Scopes.PolInquiry ? Scopes.IbanInquiry : Scopes.PolInquiry)).Value();
                return [await CallAsync(route, own, wrongScope)];
            case Attempt.OtherClientsClientId:
                var token = await GoodTokenAsync(route);
                return [await CallAsync(route, route.Uri(Seed.OtherClient), token), await CallAsync(route, route.Uri("no-such-client"), token)];
            case Attempt.OtherNid:
                var forNid = await GoodTokenAsync(route);
                return [await CallAsync(route, route.Uri(Seed.DemoClient, nid: Seed.OtherNid), forNid),
                    await CallAsync(route, route.Uri(Seed.DemoClient, nid: Seed.UnknownNid), forNid)];
            case Attempt.DepositNotGranted:
                var codeToken = await GoodTokenAsync(route);
                var clientCredential = (await _anonymous.ClientCredentialAsync(route.Scope!)).Value();
                return [await CallAsync(route, route.Uri(Seed.DemoClient, deposit: Seed.OtherDeposit), codeToken),
                    await CallAsync(route, route.Uri(Seed.DemoClient, deposit: Seed.UnknownDeposit), codeToken),
                    await CallAsync(route, route.Uri(Seed.DemoClient, deposit: Seed.OtherDeposit), clientCredential),
                    await CallAsync(route, route.Uri(Seed.DemoClient, deposit: Seed.UnknownDeposit), clientCredential)];
        }
        throw new ArgumentOutOfRangeException(nameof(attempt));
    }

    /// <summary>A code token that covers the demo deposit, or a client-credential token for routes that take only those.</summary>
    private async Task<string> GoodTokenAsync(ProtectedRoute route)
        => route.TakesClientCredentialOnly
            ? (await _anonymous.ClientCredentialAsync(Scopes.IbanInquiry)).Value()
            : (await _anonymous.SandboxCodeAsync(route.Scope!)).Value();

    private async Task<Answer> CallAsync(ProtectedRoute route, string uri, string? token)
    {
        var client = token is null ? _anonymous : gateway.WithBearer(token);
        return await client.CallAsync(new HttpMethod(route.Method), uri, route.Body);
    }

    /// <summary>The genuine token with one claim changed: the signature no longer matches.</summary>
    private static string Tamper(string jwt)
    {
        var parts = jwt.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlDecode(parts[1])).Replace("\"bank\":\"062\"", "\"bank\":\"061\"", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
    }

    /// <summary>The same header and payload with "alg": "none" and no signature, the oldest JWT forgery there is.</summary>
    private static string UnsignedCopy(string jwt)
    {
        var parts = jwt.Split('.');
        return $"{Base64UrlEncode(Encoding.UTF8.GetBytes("{\"alg\":\"none\",\"typ\":\"at+jwt\"}"))}.{parts[1]}.";
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class ProtectionMatrixTests_on_sqlite(SqliteGateway gateway) : ProtectionMatrixTests(gateway), IClassFixture<SqliteGateway>;

public sealed class ProtectionMatrixTests_on_postgres(PostgresGateway gateway) : ProtectionMatrixTests(gateway), IClassFixture<PostgresGateway>;
