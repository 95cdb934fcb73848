using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Havale.Api.Tests.Auth;

/// <summary>Brute-force limits on the token endpoint and the login form, and no secret or token in any log line.</summary>
public sealed class AuthHardeningTests
{
    [Fact]
    public async Task the_token_endpoint_answers_429_after_its_per_minute_limit_for_one_caller()
    {
        using var gateway = new HavaleFactory(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Havale:Auth:TokenRequestsPerMinute"] = AuthLimits.TokenRequestsPerMinute.ToString(),
        });
        var client = gateway.CreateJsonClient();
        const string body = "{\"grant_type\": \"client_credentials\", \"nid\": \"0012345679\", \"scopes\": \"oak:iban-inquiry:get\"}";

        for (var attempt = 1; attempt <= AuthLimits.TokenRequestsPerMinute; attempt++)
        {
            (await client.PostTokenAsync("/dev/v2/oauth2/token", "guessing-client", $"guess-{attempt}", body))
                .ShouldFail(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
        (await client.PostTokenAsync("/dev/v2/oauth2/token", "guessing-client", "one-more-guess", body))
            .ShouldFail(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        // Another client's callers are not locked out by the guesser.
        await client.ClientCredentialAsync(Scopes.IbanInquiry);
    }

    [Fact]
    public async Task the_login_form_answers_429_after_its_per_minute_limit()
    {
        using var gateway = new HavaleFactory(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Havale:Auth:LoginAttemptsPerMinute"] = AuthLimits.LoginAttemptsPerMinute.ToString(),
        });
        var client = gateway.CreateJsonClient();
        for (var attempt = 1; attempt <= AuthLimits.LoginAttemptsPerMinute; attempt++)
        {
            var response = await client.PostAsync("/dev/v2/oauth2/login", Form(attempt));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
        }
        var refused = await client.PostAsync("/dev/v2/oauth2/login", Form(0));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("TOO_MANY_REQUESTS", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task no_secret_password_or_token_appears_in_any_log_line()
    {
        var logs = new KeptLogs();
        using var gateway = new LoggedGateway(logs);
        var client = gateway.CreateJsonClient();

        var credential = await client.ClientCredentialAsync(Scopes.IbanInquiry);
        var code = await client.SandboxCodeAsync(Scopes.KilidDepositsGet);
        var refreshed = (await client.PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret,
            $"{{\"grant_type\":\"refresh_token\",\"token_type\":\"CODE\",\"refresh_token\":\"{code.GetProperty("refreshToken").GetString()}\"}}")).ShouldSucceed();
        await client.PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, "a-wrong-secret-value", "{\"grant_type\": \"client_credentials\"}");
        await gateway.WithBearer(credential.Value()).GetEnvelopeAsync($"/probe/v2/clients/{Seed.DemoClient}/read");
        await gateway.WithBearer(credential.Value() + "tampered").GetEnvelopeAsync($"/probe/v2/clients/{Seed.DemoClient}/read");
        await client.PostAsync("/dev/v2/oauth2/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "/dev/v2/oauth2/authorize?client_id=havale-demo", ["nid"] = Seed.DemoNid, ["password"] = "a-password-typed-wrong",
        }));

        Assert.NotEmpty(logs.Lines);
        string[] secrets =
        [
            Seed.DemoSecret, "a-wrong-secret-value", "a-password-typed-wrong", credential.Value(), code.Value(),
            code.GetProperty("refreshToken").GetString()!, refreshed.Result.Value(),
            // Even a fragment of a token (its signature) must not be logged.
            credential.Value().Split('.')[2],
        ];
        for (var index = 0; index < secrets.Length; index++)
        {
            var secret = secrets[index];
            var leaked = logs.Lines.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal));
            Assert.True(leaked is null, $"secret #{index} is in a log line: {leaked?[..Math.Min(leaked.Length, 300)]}");
        }
    }

    private static FormUrlEncodedContent Form(int attempt) => new(new Dictionary<string, string>
    {
        ["returnUrl"] = "/dev/v2/oauth2/authorize?client_id=havale-demo", ["nid"] = Seed.DemoNid, ["password"] = $"guess-{attempt}",
    });

    private sealed class LoggedGateway(KeptLogs logs) : HavaleFactory(TestDatabase.Sqlite)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddFilter(_ => true);
                logging.AddProvider(logs);
            });
        }
    }
}
