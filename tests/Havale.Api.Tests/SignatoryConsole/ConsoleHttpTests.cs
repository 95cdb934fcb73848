using Havale.Api.Features.SignatoryConsole;
using Havale.Api.Tests.PaymentOrders;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.SignatoryConsole;

/// <summary>
/// The console over HTTP through the real pipeline (cookies, antiforgery, the call log), on both stores: what a
/// browser test cannot show cheaply — forged and repeated forms, idle sessions, headers, people outside a deposit.
/// </summary>
public abstract class ConsoleHttpTests(QuietRailsGateway gateway)
{
    private readonly ConsoleScenario _scenario = ConsoleScenario.InMemory(gateway);

    [Fact]
    public async Task every_console_answer_carries_the_security_headers_signed_in_or_not()
    {
        var visitor = ConsoleVisitor.Open(gateway);
        var answers = new List<HttpResponseMessage>
        {
            await visitor.Client.GetAsync("/console"),
            await visitor.Client.GetAsync("/console/login"),
            await visitor.Client.GetAsync("/console/console.css"),
        };
        Assert.Equal(HttpStatusCode.Redirect, answers[0].StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.SignInAsync(FirstSigner, FirstSigner)).StatusCode);
        answers.Add(await visitor.Client.GetAsync("/console"));
        answers.Add(await visitor.Client.GetAsync($"/console/deposits/{Corporate}/statement"));
        foreach (var answer in answers)
        {
            var path = answer.RequestMessage!.RequestUri!.PathAndQuery;
            Assert.True(answer.Headers.TryGetValues("Content-Security-Policy", out var csp), path);
            Assert.Contains("frame-ancestors 'none'", csp.Single());
            Assert.Contains("default-src 'none'", csp.Single());
            Assert.Equal("DENY", answer.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", answer.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("no-store", answer.Headers.CacheControl!.ToString());
        }
        var cookie = answers[3].RequestMessage!.Headers.GetValues("Cookie").Single();
        Assert.Contains(ConsoleSession.CookieName + "=", cookie);
    }

    [Fact]
    public async Task the_session_cookie_is_http_only_strict_and_scoped_to_the_console()
    {
        var visitor = ConsoleVisitor.Open(gateway);
        var answer = await visitor.SignInAsync(FirstSigner, FirstSigner);
        var setCookie = answer.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith(ConsoleSession.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("path=/console", setCookie);
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
        // A session cookie: the browser forgets it when closed; the ticket inside expires on its own after 5 idle minutes.
        Assert.DoesNotContain("expires=", setCookie);
    }

    [Fact]
    public async Task a_wrong_password_is_refused_with_one_message_and_no_session()
    {
        var visitor = ConsoleVisitor.Open(gateway);
        var answer = await visitor.SignInAsync(FirstSigner, "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Contains(ConsoleLogin.WrongCredentials, await answer.Content.ReadAsStringAsync());
        var unknown = await visitor.SignInAsync(Seed.UnknownNid, Seed.UnknownNid);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Contains(ConsoleLogin.WrongCredentials, await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.Client.GetAsync("/console")).StatusCode);
    }

    [Fact]
    public async Task the_home_page_lists_the_deposits_the_person_may_act_on_and_signing_out_ends_the_session()
    {
        var sara = await ConsoleVisitor.SignedInAsync(gateway, FirstSigner);
        var home = await sara.PageAsync("/console");
        Assert.Contains($"href=\"/console/deposits/{Corporate}\"", home);
        Assert.DoesNotContain($"/console/deposits/{Demo}\"", home);
        Assert.Contains("امضادار", home);

        var answer = await sara.Client.PostAsync("/console/logout", new FormUrlEncodedContent(ConsoleVisitor.Hidden(home)));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Contains("از میز امضاداران خارج شدید", await sara.PageAsync(answer.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.Redirect, (await sara.Client.GetAsync("/console")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/", "/console")]
    [InlineData("//evil.example/console", "/console")]
    [InlineData("/console/../dev", "/console")]
    [InlineData("/console/%2e%2e/dev", "/console")]
    [InlineData("/console/deposits/0201648361007?page=2", "/console/deposits/0201648361007?page=2")]
    [InlineData("/console/login", "/console")]
    [InlineData("/docs", "/console")]
    public async Task sign_in_sends_the_browser_back_only_to_a_console_page(string returnUrl, string expected)
    {
        var visitor = ConsoleVisitor.Open(gateway);
        var answer = await visitor.SignInAsync(FirstSigner, FirstSigner, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal(expected, answer.Headers.Location!.OriginalString);
    }

    [Fact]
    public void a_return_address_at_its_length_bound_is_kept_and_one_past_it_is_dropped()
    {
        var atBound = "/console/" + new string('a', ConsoleLimits.ReturnUrlCharsMax - "/console/".Length);
        Assert.Equal(atBound, ConsoleLogin.SafeReturnUrl(atBound));
        Assert.Equal("/console", ConsoleLogin.SafeReturnUrl(atBound + "a"));
    }

    [Fact]
    public async Task a_form_without_its_antiforgery_token_is_refused_and_signs_nothing()
    {
        var order = await _scenario.OrderOfTheDayAsync();
        var sara = await ConsoleVisitor.SignedInAsync(gateway, FirstSigner);
        var form = await sara.ConfirmationAsync(Corporate, order, "sign");

        var answer = await sara.SubmitAsync(form.Without("__RequestVerificationToken"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(ConsoleLogin.StaleForm, await answer.Content.ReadAsStringAsync());
        var reader = await _scenario.PersonAsync(FirstSigner);
        Assert.Equal("created", (await reader.OrderAsync(order)).Status());

        // Another person's antiforgery token is not this session's either.
        var narges = await ConsoleVisitor.SignedInAsync(gateway, SecondSigner);
        var nargesToken = ConsoleVisitor.Hidden(await narges.PageAsync("/console")).Single(pair => pair.Key == "__RequestVerificationToken").Value;
        var crossed = form.Fields.ToDictionary();
        crossed["__RequestVerificationToken"] = nargesToken;
        Assert.Equal(HttpStatusCode.BadRequest, (await sara.SubmitAsync(form with { Fields = crossed })).StatusCode);
        Assert.Equal("created", (await reader.OrderAsync(order)).Status());

        // The form as the page wrote it is accepted.
        Assert.Equal(HttpStatusCode.SeeOther, (await sara.SubmitAsync(form)).StatusCode);
        Assert.Equal("pending", (await reader.OrderAsync(order)).Status());
    }

    [Fact]
    public async Task the_same_pay_form_sent_twice_at_once_pays_once_and_both_land_on_the_same_page()
    {
        var order = await _scenario.OrderOfTheDayAsync();
        var sara = await _scenario.PersonAsync(FirstSigner);
        (await sara.SignAsync(order)).ShouldSucceed();
        (await (await _scenario.PersonAsync(SecondSigner)).SignAsync(order)).ShouldSucceed();
        var before = await LedgerAudit.ReadAsync(gateway.Services);
        var narges = await ConsoleVisitor.SignedInAsync(gateway, SecondSigner);
        var form = await narges.ConfirmationAsync(Corporate, order, "pay");

        var answers = await Task.WhenAll(narges.SubmitAsync(form), narges.SubmitAsync(form));
        var again = await narges.SubmitAsync(form);

        Assert.All(answers.Append(again), answer => Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode));
        Assert.Single(answers.Append(again).Select(answer => answer.Headers.Location!.OriginalString).Distinct());
        Assert.EndsWith("?outcome=pay-done", again.Headers.Location!.OriginalString);
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(-ConsoleScenario.InternalRials, after.BalanceRials(Corporate) - before.BalanceRials(Corporate));
        Assert.Equal(ConsoleScenario.PayaRials, after.PendingRials(Corporate) - before.PendingRials(Corporate));
        var paid = await sara.OrderAsync(order);
        Assert.Equal("inprogress", paid.Status());
        Assert.Equal(["create", "sign", "sign", "pay"], paid.Actions());
    }

    [Fact]
    public async Task a_fresh_confirmation_after_paying_is_told_the_order_is_already_paid_and_moves_nothing()
    {
        var order = await _scenario.OrderOfTheDayAsync();
        (await (await _scenario.PersonAsync(FirstSigner)).SignAsync(order)).ShouldSucceed();
        (await (await _scenario.PersonAsync(SecondSigner)).SignAsync(order)).ShouldSucceed();
        var narges = await ConsoleVisitor.SignedInAsync(gateway, SecondSigner);
        var first = await narges.ConfirmationAsync(Corporate, order, "pay");
        var second = await narges.ConfirmationAsync(Corporate, order, "pay");
        Assert.Contains("pay-done", (await narges.SubmitAsync(first)).Headers.Location!.OriginalString);
        var before = await LedgerAudit.ReadAsync(gateway.Services);

        var answer = await narges.SubmitAsync(second);
        Assert.EndsWith("?outcome=pay-OrderAlreadyPaid", answer.Headers.Location!.OriginalString);
        Assert.Contains(ConsoleMessages.Describe(Api.Features.PaymentOrders.PayRefusal.OrderAlreadyPaid),
            await narges.PageAsync(answer.Headers.Location!.OriginalString));
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(before.BalanceRials(Corporate), after.BalanceRials(Corporate));
        Assert.Equal(before.PendingRials(Corporate), after.PendingRials(Corporate));
    }

    [Fact]
    public async Task a_session_idle_for_five_minutes_is_signed_out_and_one_in_use_slides()
    {
        var day = await _scenario.StartDayAtNoonAsync();
        var sara = await ConsoleVisitor.SignedInAsync(gateway, FirstSigner);
        await sara.PageAsync("/console");

        // Used at 4 minutes: past half its life, so the cookie is renewed to 12:09.
        await _scenario.MoveClockToAsync(SandboxDriver.Tehran(day, 12, 4, 0));
        await sara.PageAsync("/console");
        await _scenario.MoveClockToAsync(SandboxDriver.Tehran(day, 12, 8, 59));
        await sara.PageAsync("/console");

        // 12:08:59 renewed it to 12:13:59; a second past that, the session is over.
        await _scenario.MoveClockToAsync(SandboxDriver.Tehran(day, 12, 14, 0));
        var expired = await sara.Client.GetAsync($"/console/deposits/{Corporate}");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Equal($"/console/login?returnUrl=%2Fconsole%2Fdeposits%2F{Corporate}", expired.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task a_person_who_is_not_on_the_deposit_sees_none_of_it_and_cannot_sign_or_pay()
    {
        var order = await _scenario.OrderOfTheDayAsync();
        var maryam = await ConsoleVisitor.SignedInAsync(gateway, Seed.DemoNid);
        Assert.DoesNotContain($"data-order=\"{order}\"", await maryam.PageAsync("/console"));
        foreach (var path in new[] { $"/console/deposits/{Corporate}", $"/console/deposits/{Corporate}/statement", $"/console/deposits/{Corporate}/orders/{order}",
                     $"/console/deposits/{Corporate}/orders/{order}/sign", $"/console/deposits/{Corporate}/orders/{order}/pay" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await maryam.Client.GetAsync(path)).StatusCode);
        }

        // Even holding a form of Sara's, Maryam's session is not the one it was issued to.
        var sara = await ConsoleVisitor.SignedInAsync(gateway, FirstSigner);
        var saraForm = await sara.ConfirmationAsync(Corporate, order, "sign");
        var maryamToken = ConsoleVisitor.Hidden(await maryam.PageAsync("/console")).Single(pair => pair.Key == "__RequestVerificationToken").Value;
        var forged = saraForm.Fields.ToDictionary();
        forged["__RequestVerificationToken"] = maryamToken;
        var answer = await maryam.SubmitAsync(saraForm with { Fields = forged });
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(ConsoleActions.StaleTicket, await answer.Content.ReadAsStringAsync());
        Assert.Equal("created", (await (await _scenario.PersonAsync(FirstSigner)).OrderAsync(order)).Status());
    }

    [Fact]
    public async Task a_signatory_left_out_of_the_ceremonies_is_refused_by_the_kilid_rule_and_told_why()
    {
        var order = await _scenario.OrderOfTheDayAsync();
        // Ali owns and signs the deposit, but the order's ceremonies name only Sara and Narges.
        var ali = await ConsoleVisitor.SignedInAsync(gateway, Owner);
        var page = await ali.ActAsync(Corporate, order, "sign");
        Assert.Contains(ConsoleMessages.Describe(Api.Features.PaymentOrders.SignRefusal.NotInCeremonies), page);
        Assert.Empty((await (await _scenario.PersonAsync(Owner)).OrderAsync(order)).GetProperty("signs").EnumerateArray());

        // Paying an order that is not yet signed is refused by the pay rule, and nothing moves.
        var before = await LedgerAudit.ReadAsync(gateway.Services);
        Assert.Contains(ConsoleMessages.Describe(Api.Features.PaymentOrders.PayRefusal.OrderNotSigned), await ali.ActAsync(Corporate, order, "pay"));
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(before.BalanceRials(Corporate), after.BalanceRials(Corporate));
    }

    [Fact]
    public async Task a_signer_who_withdraws_their_signature_sees_the_order_back_to_created()
    {
        var order = await _scenario.OrderOfTheDayAsync();
        var sara = await ConsoleVisitor.SignedInAsync(gateway, FirstSigner);
        Assert.Contains(ConsoleMessages.Describe(new ConsoleOutcome(ConsoleAction.Sign, null, null, false)), await sara.ActAsync(Corporate, order, "sign"));
        var page = await sara.ActAsync(Corporate, order, "unsign");
        Assert.Contains(ConsoleMessages.Describe(new ConsoleOutcome(ConsoleAction.Unsign, null, null, false)), page);
        Assert.Contains("data-status=\"created\"", page);
        Assert.Equal(["create", "sign", "unsign"], (await (await _scenario.PersonAsync(FirstSigner)).OrderAsync(order)).Actions());
    }

    [Fact]
    public async Task a_confirmation_for_rows_that_have_changed_since_is_refused_and_signs_nothing()
    {
        var order = await _scenario.OrderOfTheDayAsync();
        var sara = await ConsoleVisitor.SignedInAsync(gateway, FirstSigner);
        var form = await sara.ConfirmationAsync(Corporate, order, "sign");
        var owner = await _scenario.PersonAsync(Owner);
        (await owner.EditAsync(order, KilidDriver.Body([KilidDriver.Row(99_000_000, Demo, description: "بیشتر")], Owner))).ShouldSucceed();

        var answer = await sara.SubmitAsync(form);
        Assert.EndsWith("?outcome=sign-changed", answer.Headers.Location!.OriginalString);
        Assert.Equal("created", (await owner.OrderAsync(order)).Status());
    }

    [Theory]
    [InlineData("/console/deposits/{0}/orders/abc")]
    [InlineData("/console/deposits/{0}/orders/0")]
    [InlineData("/console/deposits/{0}/orders/99999999999999999999")]
    [InlineData("/console/deposits/123/orders/1")]
    [InlineData("/console/deposits/{0}/orders/1/steal")]
    public async Task an_address_that_names_no_order_of_the_person_is_not_found(string template)
    {
        var sara = await ConsoleVisitor.SignedInAsync(gateway, FirstSigner);
        var answer = await sara.Client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Corporate));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("dir=\"rtl\"", await answer.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("page=2000", HttpStatusCode.OK)]
    [InlineData("page=2001", HttpStatusCode.BadRequest)]
    [InlineData("page=0", HttpStatusCode.BadRequest)]
    [InlineData("from=1408/10/01&to=1408/10/30", HttpStatusCode.OK)]
    [InlineData("from=%DB%B1%DB%B4%DB%B0%DB%B5%DB%B0%DB%B1%DB%B0%DB%B1", HttpStatusCode.OK)]
    [InlineData("from=1408/13/01", HttpStatusCode.BadRequest)]
    [InlineData("from=1408/10/011", HttpStatusCode.BadRequest)]
    [InlineData("from=1408/10/30&to=1408/10/01", HttpStatusCode.BadRequest)]
    public async Task statement_inputs_are_bounded_with_a_persian_message(string query, HttpStatusCode expected)
    {
        var sara = await ConsoleVisitor.SignedInAsync(gateway, FirstSigner);
        var answer = await sara.Client.GetAsync($"/console/deposits/{Corporate}/statement?{query}");
        Assert.Equal(expected, answer.StatusCode);
        var html = await answer.Content.ReadAsStringAsync();
        Assert.Contains(expected == HttpStatusCode.OK ? "id=\"statement\"" : "class=\"notice error\"", html);
    }

    [Fact]
    public void an_action_token_past_its_length_bound_is_not_read()
    {
        var tokens = new ConsoleActionTokens(Microsoft.AspNetCore.DataProtection.DataProtectionProvider.Create("console-test"));
        Assert.Null(tokens.Read(new string('a', ConsoleLimits.ActionTokenCharsMax + 1)));
        Assert.Null(tokens.Read(new string('a', ConsoleLimits.ActionTokenCharsMax)));
        var ticket = new ActionTicket("s", Owner, Corporate, 1, ConsoleAction.Pay, 2, 3, ConsoleActionTokens.NewTrackId());
        var issued = tokens.Issue(ticket);
        Assert.True(issued.Length <= ConsoleLimits.ActionTokenCharsMax);
        Assert.Equal(ticket, tokens.Read(issued));
    }
}

public sealed class ConsoleHttpTests_on_sqlite(QuietRailsSqliteGateway gateway) : ConsoleHttpTests(gateway), IClassFixture<QuietRailsSqliteGateway>;

public sealed class ConsoleHttpTests_on_postgres(QuietRailsPostgresGateway gateway) : ConsoleHttpTests(gateway), IClassFixture<QuietRailsPostgresGateway>;
