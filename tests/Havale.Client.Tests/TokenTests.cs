using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Havale.Client.Tests;

/// <summary>
/// Tokens through the client: client credentials got once and kept, refreshed before they expire and again when
/// the gateway calls one invalid, a customer's consent on the real page exchanged with PKCE, and the refusals.
/// </summary>
public abstract partial class TokenTests(ClientGateway gateway) : IDisposable
{
    private static readonly Uri RedirectUri = new("http://127.0.0.1:8080/callback");
    private ClientKit _kit = new(gateway);

    private HavaleClient Client => _kit.Client;

    private IReadOnlyList<Attempt> TokenRequests => _kit.Faults.To(HavaleTokens.TokenPath);

    [Fact]
    public async Task a_client_credential_token_is_got_on_first_use_and_kept_for_the_next_calls()
    {
        var pol = Client.Pol(People.IbanInquiry);

        await pol.IbanInquiryAsync(People.MellatIban);
        await pol.IbanInquiryAsync(People.TejaratIban);

        var request = Assert.Single(TokenRequests);
        Assert.Contains("\"grant_type\":\"client_credentials\"", request.Body, StringComparison.Ordinal);
        Assert.Contains("\"nid\":\"0012345679\"", request.Body, StringComparison.Ordinal);
        var token = await _kit.TokenStore.GetAsync(People.IbanInquiry.Key, CancellationToken.None);
        Assert.Equal(TokenType.ClientCredential, token!.Type);
        Assert.Equal(["oak:iban-inquiry:get"], token.Scopes);
        Assert.Equal(People.Maryam, token.UserId);
        Assert.Equal(10, (int)Math.Round((token.ExpiresAtUtc - gateway.Clock.GetUtcNow()).TotalDays));
        Assert.NotNull(token.CreationDate.Tehran);
        Assert.DoesNotContain(token.AccessToken, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_token_past_its_expiry_is_refreshed_before_the_call_leaves()
    {
        var pol = Client.Pol(People.IbanInquiry);
        await pol.IbanInquiryAsync(People.MellatIban);
        var first = await _kit.TokenStore.GetAsync(People.IbanInquiry.Key, CancellationToken.None);

        gateway.Clock.Advance(TimeSpan.FromDays(10));
        await pol.IbanInquiryAsync(People.MellatIban);

        var refreshed = await _kit.TokenStore.GetAsync(People.IbanInquiry.Key, CancellationToken.None);
        Assert.NotEqual(first!.AccessToken, refreshed!.AccessToken);
        Assert.Contains("\"grant_type\":\"refresh_token\"", TokenRequests[^1].Body, StringComparison.Ordinal);
        Assert.Contains("\"token_type\":\"CLIENT-CREDENTIAL\"", TokenRequests[^1].Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_kit.Faults.Attempts, attempt => attempt.Status == HttpStatusCode.Forbidden);
        await _kit.LogsShouldHoldNoSecretAsync(People.IbanInquiry);
    }

    [Fact]
    public async Task a_token_the_gateway_calls_invalid_is_refreshed_and_the_call_sent_again_with_the_same_trackId()
    {
        // A client whose own clock does not move: only the gateway knows the token has expired.
        Replace(new ClientKit(gateway, clientFollowsGatewayClock: false));
        await _kit.StartDayAsync();
        var maryam = await _kit.MaryamPaysAsync();
        var pol = Client.Pol(maryam);
        gateway.Clock.Advance(TimeSpan.FromDays(11));

        var lookup = await pol.PolInquiryAsync(People.MellatIban, trackId: "after-expiry-1");

        Assert.True(lookup.IsPossible);
        var calls = _kit.Faults.To("/polInquiry");
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.OK], calls.Select(call => call.Status));
        Assert.All(calls, call => Assert.Contains("trackId=after-expiry-1", call.PathAndQuery, StringComparison.Ordinal));
        Assert.Contains("\"token_type\":\"CODE\"", TokenRequests[^1].Body, StringComparison.Ordinal);
        Assert.Contains("\"bank\":\"062\"", TokenRequests[^1].Body, StringComparison.Ordinal);
        await _kit.LogsShouldHoldNoSecretAsync(maryam);
    }

    [Fact]
    public async Task refresh_on_demand_rotates_the_stored_token()
    {
        var maryam = await _kit.MaryamPaysAsync();
        var before = await _kit.TokenStore.GetAsync(maryam.Key, CancellationToken.None);

        var after = await Client.Tokens.RefreshAsync(maryam);

        Assert.NotEqual(before!.RefreshToken, after.RefreshToken);
        Assert.Equal(after, await _kit.TokenStore.GetAsync(maryam.Key, CancellationToken.None));
        Assert.Equal([People.MaryamDeposit], after.Deposits);
        Assert.Equal(TokenType.Code, after.Type);
    }

    [Fact]
    public async Task a_customers_consent_on_the_page_is_exchanged_with_pkce_for_a_token_that_pays()
    {
        await _kit.StartDayAsync();
        var pkce = Pkce.Create();
        var consentUrl = Client.Tokens.ConsentUrl(new ConsentRequest
        {
            RedirectUri = RedirectUri, Scopes = People.PolScopes, LimitRials = 5_000_000, CallCount = 100, State = "state-7", Pkce = pkce,
        });

        var code = await ApproveOnThePageAsync(consentUrl, People.Maryam, People.MaryamDeposit, "state-7");
        var token = await Client.Tokens.ExchangeCodeAsync("maryam-consented", code, RedirectUri, pkce.Verifier);
        var paid = await Client.Pol(HavaleCredential.Stored("maryam-consented")).PayAsync(People.Payment(1_000_000));

        Assert.Equal(TokenType.Code, token.Type);
        Assert.Equal(5_000_000, token.MaxAmountPerTransactionRials);
        Assert.Equal([People.MaryamDeposit], token.Deposits);
        Assert.Equal(PolOutcome.Paid, paid.Outcome);
        Assert.Contains("\"code_verifier\":", Assert.Single(TokenRequests, request => request.Body!.Contains("\"code\":", StringComparison.Ordinal)).Body,
            StringComparison.Ordinal);
        await _kit.LogsShouldHoldNoSecretAsync(HavaleCredential.Stored("maryam-consented"));
    }

    [Fact]
    public async Task a_code_exchanged_with_the_wrong_verifier_is_refused_and_not_sent_again()
    {
        var consentUrl = Client.Tokens.ConsentUrl(new ConsentRequest
        {
            RedirectUri = RedirectUri, Scopes = People.PolScopes, LimitRials = 5_000_000, State = "state-8", Pkce = Pkce.Create(),
        });
        var code = await ApproveOnThePageAsync(consentUrl, People.Maryam, People.MaryamDeposit, "state-8");

        var refusal = await Assert.ThrowsAsync<HavaleApiException>(() => Client.Tokens.ExchangeCodeAsync("wrong", code, RedirectUri, Pkce.Create().Verifier));

        Assert.Equal("VALIDATION_ERROR", refusal.Code);
        Assert.Equal(HttpStatusCode.BadRequest, refusal.HttpStatus);
        Assert.Single(TokenRequests);
    }

    [Fact]
    public void the_consent_url_carries_finnotechs_parameters_and_the_pkce_challenge()
    {
        var pkce = Pkce.Create();
        var url = Client.Tokens.ConsentUrl(new ConsentRequest
        {
            RedirectUri = RedirectUri, Scopes = ["kilid:request:create", "kilid:request:get"], LimitRials = 2_000_000, CallCount = 5, State = "s t", Pkce = pkce,
        });

        Assert.Equal(HavaleTokens.AuthorizePath, url.AbsolutePath);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(People.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(RedirectUri.ToString(), query["redirect_uri"]);
        Assert.Equal("kilid:request:create,kilid:request:get", query["scope"]);
        Assert.Equal("2000000", query["limit"]);
        Assert.Equal("5", query["count"]);
        Assert.Equal("062", query["bank"]);
        Assert.Equal("s t", query["state"]);
        Assert.Equal(pkce.Challenge, query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.DoesNotContain(pkce.Verifier, url.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_wrong_client_secret_and_a_missing_customer_token_throw_the_one_exception()
    {
        Replace(new ClientKit(gateway, options => options.ClientSecret = "not-the-secret"));

        var wrongSecret = await Assert.ThrowsAsync<HavaleApiException>(() => Client.Pol(People.IbanInquiry).IbanInquiryAsync(People.MellatIban));
        var noToken = await Assert.ThrowsAsync<HavaleApiException>(() => Client.Pol(HavaleCredential.Stored("nobody")).PolInquiryAsync(People.MellatIban));

        Assert.Equal("UNAUTHORIZED", wrongSecret.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.HttpStatus);
        Assert.Equal("NO_TOKEN", noToken.Code);
        Assert.Null(noToken.HttpStatus);
        await _kit.LogsShouldHoldNoSecretAsync();
        Assert.All(_kit.Logs.Lines, line => Assert.DoesNotContain("not-the-secret", line, StringComparison.Ordinal));
    }

    /// <summary>What a customer does in a browser: log in with the national code, tick the deposit, approve; returns the code.</summary>
    private async Task<string> ApproveOnThePageAsync(Uri consentUrl, string nid, string deposit, string state)
    {
        using var browser = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = HiddenInputs(await browser.GetStringAsync(consentUrl.PathAndQuery));
        login.Add(new("nid", nid));
        login.Add(new("password", nid));
        using var loggedIn = await browser.PostAsync("/dev/v2/oauth2/login", new FormUrlEncodedContent(login));
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.StatusCode);
        var consent = HiddenInputs(await browser.GetStringAsync(loggedIn.Headers.Location!.OriginalString));
        consent.Add(new("deposits", deposit));
        consent.Add(new("grantLimit", "5000000"));
        consent.Add(new("decision", "approve"));
        using var approved = await browser.PostAsync("/dev/v2/oauth2/authorize", new FormUrlEncodedContent(consent));
        Assert.True(approved.StatusCode == HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        var returned = approved.Headers.Location!;
        Assert.StartsWith(RedirectUri.ToString(), returned.ToString(), StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(returned.Query);
        Assert.Equal(state, query["state"]);
        return query["code"].ToString();
    }

    private static List<KeyValuePair<string, string>> HiddenInputs(string html)
        => HiddenInput().Matches(html).Select(match => new KeyValuePair<string, string>(WebUtility.HtmlDecode(match.Groups["name"].Value),
            WebUtility.HtmlDecode(match.Groups["value"].Value))).ToList();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    private void Replace(ClientKit kit)
    {
        _kit.Dispose();
        _kit = kit;
    }

    public void Dispose() => _kit.Dispose();
}

public sealed class TokenTests_on_sqlite(ClientSqliteGateway gateway) : TokenTests(gateway), IClassFixture<ClientSqliteGateway>;
