using Havale.Api.Tests.Auth;
using Havale.Api.Tests.PaymentOrders;
using Microsoft.Playwright;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.SignatoryConsole;

/// <summary>
/// The console end to end in Debian's headless Chromium against the gateway on a real Kestrel socket, on both stores:
/// three people, an out-of-turn signature, two signatures, pay, a Paya cycle, the statement. Every page is
/// photographed (under the test output folder) and checked to lay Persian text out right to left.
/// </summary>
public abstract class ConsoleBrowserTests(BrowserGateway host)
{
    private readonly ConsoleScenario _scenario = new(host.Gateway, host.CreateClient);

    private string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "console-screenshots", host.Gateway.Database.ToString().ToLowerInvariant());

    [Fact]
    public async Task two_signatories_sign_in_ceremony_order_one_pays_and_the_order_is_done_after_the_paya_cycle_with_the_statement_showing_it()
    {
        var day = await _scenario.StartDayAtNoonAsync();
        var order = await _scenario.CreateOrderAsync();
        var orderPath = $"/console/deposits/{Corporate}/orders/{order}";
        Directory.CreateDirectory(ScreenshotFolder);

        // Narges signs second, but tries first: she sees the order waiting for her and is refused with the rule's reason.
        var narges = await SignInAsync(SecondSigner);
        var waiting = narges.Locator($"#awaiting-signature + table tr[data-order='{order}']");
        await Assertions.Expect(waiting).ToBeVisibleAsync();
        await Assertions.Expect(waiting).ToContainTextAsync("۱ امضای پیش از شما مانده");
        await ShouldBeRightToLeftPersianAsync(narges, "01-home", "در انتظار امضای شما");
        await waiting.Locator("a").ClickAsync();
        await ShouldBeRightToLeftPersianAsync(narges, "02-order", "دستور پرداخت شماره");
        await Assertions.Expect(narges.Locator("#status")).ToHaveAttributeAsync("data-status", "created");
        await narges.ClickAsync("#sign");
        await ConfirmationShouldRepeatTheOrderAsync(narges, "03-confirm-sign", "این دستور پرداخت را امضا می‌کنید؟");
        await narges.ClickAsync("#confirm");
        await Assertions.Expect(narges.Locator("#outcome")).ToContainTextAsync("هنوز نوبت شما نیست");
        await ShouldBeRightToLeftPersianAsync(narges, "04-out-of-turn-refused", "هنوز نوبت شما نیست");
        await Assertions.Expect(narges.Locator("#status")).ToHaveAttributeAsync("data-status", "created");

        // Sara signs first in the ceremonies; then it is Narges's turn.
        var sara = await SignInAsync(FirstSigner);
        await SignAsync(sara, orderPath, "pending");
        await SignAsync(narges, orderPath, "signed");

        await narges.ClickAsync("#pay");
        await ConfirmationShouldRepeatTheOrderAsync(narges, "05-confirm-pay", "این دستور پرداخت را می‌پردازید؟");
        // Chromium itself sends a double-clicked form once, so the double submit is made by hand: the page's form, sent
        // twice at once with the browser's own cookies. Both land where the first went; the money moves once.
        var before = await LedgerAudit.ReadAsync(host.Gateway.Services);
        var submits = await SubmitTwiceAtOnceAsync(narges, "form[action$='/pay']");
        Assert.All(submits, submit => Assert.Equal(303, submit.Status));
        Assert.Single(submits.Select(submit => submit.Headers["location"]).Distinct());
        await narges.GotoAsync(submits[0].Headers["location"]);
        await Assertions.Expect(narges.Locator("#outcome")).ToContainTextAsync("دستور پرداخت پرداخت شد");
        await Assertions.Expect(narges.Locator("#status")).ToHaveAttributeAsync("data-status", "inprogress");
        await Assertions.Expect(narges.Locator("#rows tbody tr").Nth(0)).ToHaveAttributeAsync("data-state", "success");
        await Assertions.Expect(narges.Locator("#rows tbody tr").Nth(1)).ToHaveAttributeAsync("data-state", "wait");
        await ShouldBeRightToLeftPersianAsync(narges, "06-paid", "در انتظار چرخه پایا");
        var paid = (await LedgerAudit.ReadAsync(host.Gateway.Services)).ShouldBalance();
        Assert.Equal(-ConsoleScenario.InternalRials, paid.BalanceRials(Corporate) - before.BalanceRials(Corporate));
        Assert.Equal(ConsoleScenario.PayaRials, paid.PendingRials(Corporate) - before.PendingRials(Corporate));

        // Past the 13:45 Paya cycle. The clock moved well past five minutes, so the session has expired: sign in again.
        await _scenario.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 46, 0));
        await narges.ReloadAsync();
        await Assertions.Expect(narges.Locator("#login")).ToBeVisibleAsync();
        await narges.FillAsync("#nid", SecondSigner);
        await narges.FillAsync("#password", SecondSigner);
        await narges.ClickAsync("#login");
        await Assertions.Expect(narges.Locator("#status")).ToHaveAttributeAsync("data-status", "done");
        await Assertions.Expect(narges.Locator("#rows tbody tr[data-state='success']")).ToHaveCountAsync(2);
        await Assertions.Expect(narges.Locator("#history tbody tr")).ToHaveCountAsync(4);
        await ShouldBeRightToLeftPersianAsync(narges, "07-done", "انجام شده");

        await narges.GotoAsync($"/console/deposits/{Corporate}/statement");
        var statement = narges.Locator("#statement tbody");
        await Assertions.Expect(statement).ToContainTextAsync("۲٬۵۰۰٬۰۰۰ ریال (۲۵۰٬۰۰۰ تومان)");
        await Assertions.Expect(statement).ToContainTextAsync("۱۵٬۰۰۰٬۰۰۰ ریال (۱٬۵۰۰٬۰۰۰ تومان)");
        await Assertions.Expect(statement).ToContainTextAsync("۱۴");
        await ShouldBeRightToLeftPersianAsync(narges, "08-statement", "صورت‌حساب");
        (await LedgerAudit.ReadAsync(host.Gateway.Services)).ShouldBalance().ShouldHaveNoOpenHolds();
    }

    private async Task<IPage> SignInAsync(string nid)
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console");
        await page.FillAsync("#nid", nid);
        await page.FillAsync("#password", nid);
        await page.ClickAsync("#login");
        await Assertions.Expect(page.Locator("#awaiting-signature")).ToBeVisibleAsync();
        return page;
    }

    private static async Task SignAsync(IPage page, string orderPath, string statusAfter)
    {
        await page.GotoAsync(orderPath);
        await page.ClickAsync("#sign");
        await page.ClickAsync("#confirm");
        await Assertions.Expect(page.Locator("#outcome")).ToContainTextAsync("امضای شما ثبت شد");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-status", statusAfter);
    }

    private async Task<IAPIResponse[]> SubmitTwiceAtOnceAsync(IPage page, string formSelector)
    {
        var form = page.Locator(formSelector);
        var fields = page.Context.APIRequest.CreateFormData();
        foreach (var input in await form.Locator("input[type=hidden]").AllAsync())
        {
            fields.Set((await input.GetAttributeAsync("name"))!, await input.InputValueAsync());
        }
        var target = new Uri(host.BaseAddress, await form.GetAttributeAsync("action")).ToString();
        var options = new APIRequestContextOptions { Form = fields, MaxRedirects = 0 };
        return await Task.WhenAll(page.Context.APIRequest.PostAsync(target, options), page.Context.APIRequest.PostAsync(target, options));
    }

    /// <summary>The confirmation repeats the order's total, in rials and tomans, and its row count.</summary>
    private async Task ConfirmationShouldRepeatTheOrderAsync(IPage page, string name, string question)
    {
        await Assertions.Expect(page.Locator("#total")).ToContainTextAsync("۱۷٬۵۰۰٬۰۰۰ ریال (۱٬۷۵۰٬۰۰۰ تومان)");
        await Assertions.Expect(page.Locator("#row-count")).ToContainTextAsync("۲");
        await ShouldBeRightToLeftPersianAsync(page, name, question);
    }

    /// <summary>The page is laid out right to left, the Persian text is on screen, and a photograph of it is kept.</summary>
    private async Task ShouldBeRightToLeftPersianAsync(IPage page, string name, string persianText)
    {
        Assert.Equal("rtl", await page.EvaluateAsync<string>("getComputedStyle(document.body).direction"));
        Assert.Equal("fa", await page.GetAttributeAsync("html", "lang"));
        await Assertions.Expect(page.GetByText(persianText).First).ToBeVisibleAsync();
        // The heading inherits the direction too (a stray dir="ltr" on a container would show here).
        Assert.Equal("rtl", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('h1')).direction"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }
}

public sealed class ConsoleBrowserTests_on_sqlite(SqliteBrowserGateway host) : ConsoleBrowserTests(host), IClassFixture<SqliteBrowserGateway>;

public sealed class ConsoleBrowserTests_on_postgres(PostgresBrowserGateway host) : ConsoleBrowserTests(host), IClassFixture<PostgresBrowserGateway>;
