using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace Havale.Api.Tests.Auth;

/// <summary>
/// The gateway on a real Kestrel socket on 127.0.0.1 (a browser cannot reach the in-memory test server) and Debian's
/// Chromium driven by Playwright. The browser is never downloaded: test.sh installs Debian's package.
/// </summary>
public abstract class BrowserGateway(TestDatabase database) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public HavaleFactory Gateway { get; } = new(database, new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright? _playwright;

    public async Task InitializeAsync()
    {
        Gateway.UseKestrel();
        Gateway.StartServer();
        var addresses = Gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single(address => address.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Gateway.DisposeAsync();
    }

    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }
        return client;
    }
}

public sealed class SqliteBrowserGateway() : BrowserGateway(TestDatabase.Sqlite);

public sealed class PostgresBrowserGateway() : BrowserGateway(TestDatabase.Postgres);

/// <summary>The consent page end to end, as a customer and a client application live through it.</summary>
public abstract class ConsentPageTests(BrowserGateway host)
{
    private const string RedirectUri = "http://127.0.0.1:8080/callback";

    [Fact]
    public async Task a_customer_logs_in_grants_one_deposit_with_a_limit_and_the_client_exchanges_the_code_and_calls_the_api()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var page = await host.Browser.NewPageAsync();
        var redirected = new TaskCompletionSource<string>();
        // The client's callback lives nowhere; the browser's request to it is caught and answered here.
        await page.RouteAsync(RedirectUri + "**", async route =>
        {
            redirected.TrySetResult(route.Request.Url);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, Body = "callback" });
        });

        await page.GotoAsync(AuthorizeUrl("kilid:deposits:get,kilid:request:create", limit: 5_000_000, state: "st-42")
                             + $"&code_challenge={challenge}&code_challenge_method=S256");
        Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        await page.FillAsync("#nid", Seed.DemoNid);
        await page.FillAsync("#password", Seed.DemoNid);
        await page.ClickAsync("#login");
        await page.WaitForSelectorAsync("#approve");
        Assert.Contains("دموی حواله", await page.ContentAsync());
        await page.CheckAsync($"input[name=deposits][value='{Seed.DemoDeposit}']");
        await page.FillAsync("#grantLimit", "2000000");
        // The link asked for 100 calls a month; the customer grants 40.
        await page.FillAsync("#grantCount", "40");
        await page.ClickAsync("#approve");
        var callback = new Uri(await redirected.Task.WaitAsync(TimeSpan.FromSeconds(30)));

        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("st-42", query["state"].ToString());
        var code = query["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code));

        var exchanged = (await host.CreateClient().PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret,
            $"{{\"grant_type\": \"authorization_code\", \"code\": \"{code}\", \"redirect_uri\": \"{RedirectUri}\", \"bank\": \"062\", \"code_verifier\": \"{verifier}\"}}"))
            .ShouldSucceed().Result;
        Assert.Equal("CODE", exchanged.GetProperty("type").GetString());
        Assert.Equal([Seed.DemoDeposit], exchanged.GetProperty("deposits").EnumerateArray().Select(deposit => deposit.GetString()));
        Assert.Equal(2_000_000, exchanged.GetProperty("maxAmountPerTransaction").GetInt64());
        Assert.Equal(40, exchanged.GetProperty("monthlyCallLimitation").GetInt32());
        Assert.Equal(Seed.DemoNid, exchanged.GetProperty("userId").GetString());

        var balance = await host.CreateClient(exchanged.Value())
            .GetEnvelopeAsync($"/probe/v2/clients/{Seed.DemoClient}/users/{Seed.DemoNid}/deposits/{Seed.DemoDeposit}/balance");
        balance.ShouldSucceed();
        Assert.Equal(Seed.DemoDeposit, balance.Result.GetProperty("deposit").GetString());
    }

    [Fact]
    public async Task a_customer_who_denies_sends_the_browser_back_with_access_denied_and_the_state()
    {
        var page = await host.Browser.NewPageAsync();
        var redirected = new TaskCompletionSource<string>();
        await page.RouteAsync(RedirectUri + "**", async route =>
        {
            redirected.TrySetResult(route.Request.Url);
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, Body = "callback" });
        });
        await page.GotoAsync(AuthorizeUrl(Scopes.InstantPayment, limit: 1_000, state: "deny-1"));
        await page.FillAsync("#nid", Seed.DemoNid);
        await page.FillAsync("#password", Seed.DemoNid);
        await page.ClickAsync("#login");
        await page.ClickAsync("#deny");

        var query = QueryHelpers.ParseQuery(new Uri(await redirected.Task.WaitAsync(TimeSpan.FromSeconds(30))).Query);
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.Equal("deny-1", query["state"].ToString());
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task a_wrong_password_keeps_the_customer_on_the_login_page()
    {
        var page = await host.Browser.NewPageAsync();
        await page.GotoAsync(AuthorizeUrl(Scopes.InstantPayment, limit: 1_000, state: "pw"));
        await page.FillAsync("#nid", Seed.DemoNid);
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("#login");
        Assert.Contains("کد ملی یا رمز عبور درست نیست", await page.ContentAsync());
        Assert.Equal(0, await page.Locator("#approve").CountAsync());
    }

    [Theory]
    [InlineData("redirect", "kilid:deposits:get", 1000)]
    [InlineData("limit", "kilid:deposits:get", Seed.DemoAmountRialsMax + 1)]
    [InlineData("mixed", "kilid:deposits:get,oak:instant-payment:post", 1000)]
    [InlineData("unknown-scope", "oak:no-such:get", 1000)]
    public async Task a_request_that_breaks_a_rule_gets_an_error_page_and_no_redirect(string rule, string scopes, long limit)
    {
        var url = AuthorizeUrl(scopes, limit, state: rule);
        if (rule == "redirect")
        {
            url = url.Replace(Uri.EscapeDataString(RedirectUri), Uri.EscapeDataString("https://evil.example/steal"), StringComparison.Ordinal);
        }
        var response = await host.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("dir=\"rtl\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task the_login_form_never_sends_the_browser_off_the_authorize_page()
    {
        var client = host.CreateClient();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "https://evil.example/", ["nid"] = Seed.DemoNid, ["password"] = Seed.DemoNid,
        });
        var response = await client.PostAsync("/dev/v2/oauth2/login", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private string AuthorizeUrl(string scopes, long limit, string state)
        => new Uri(host.BaseAddress, "/dev/v2/oauth2/authorize").ToString()
           + $"?client_id={Seed.DemoClient}&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"
           + $"&scope={Uri.EscapeDataString(scopes)}&limit={limit}&count=100&bank=062&state={state}";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class ConsentPageTests_on_sqlite(SqliteBrowserGateway host) : ConsentPageTests(host), IClassFixture<SqliteBrowserGateway>;

public sealed class ConsentPageTests_on_postgres(PostgresBrowserGateway host) : ConsentPageTests(host), IClassFixture<PostgresBrowserGateway>;
