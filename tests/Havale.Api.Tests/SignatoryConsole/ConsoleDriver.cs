using System.Text.RegularExpressions;
using Havale.Api.Tests.PaymentOrders;
using Microsoft.AspNetCore.Mvc.Testing;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.SignatoryConsole;

/// <summary>A form as the page carries it: where it posts and its hidden fields, decoded.</summary>
public sealed record ConsoleForm(string Action, IReadOnlyDictionary<string, string> Fields)
{
    public ConsoleForm Without(string field) => this with { Fields = Fields.Where(pair => pair.Key != field).ToDictionary() };
}

/// <summary>
/// One person's browser without the browser: a cookie-keeping client on the in-memory gateway that reads the
/// console's pages and posts its forms as they are written, so the HTTP tests go through the real pipeline.
/// </summary>
public sealed partial class ConsoleVisitor(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public static ConsoleVisitor Open(HavaleFactory gateway)
        => new(gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static async Task<ConsoleVisitor> SignedInAsync(HavaleFactory gateway, string nid)
    {
        var session = Open(gateway);
        var answer = await session.SignInAsync(nid, nid);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)answer.StatusCode}");
        return session;
    }

    public async Task<HttpResponseMessage> SignInAsync(string nid, string password, string returnUrl = "/console")
    {
        var login = await PageAsync("/console/login");
        var fields = Hidden(login).ToDictionary();
        fields["nid"] = nid;
        fields["password"] = password;
        fields["returnUrl"] = returnUrl;
        return await Client.PostAsync("/console/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>A page that must answer 200, as HTML.</summary>
    public async Task<string> PageAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {html}");
        return html;
    }

    /// <summary>The confirmation page of one action and the form it carries.</summary>
    public async Task<ConsoleForm> ConfirmationAsync(string deposit, long order, string action)
    {
        var html = await PageAsync($"/console/deposits/{deposit}/orders/{order}/{action}");
        var target = ConfirmAction().Match(html);
        Assert.True(target.Success, html);
        return new ConsoleForm(WebUtility.HtmlDecode(target.Groups[1].Value), Hidden(html).ToDictionary());
    }

    public Task<HttpResponseMessage> SubmitAsync(ConsoleForm form) => Client.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));

    /// <summary>Confirms an action and follows the answer's See Other to the order page it names.</summary>
    public async Task<string> ActAsync(string deposit, long order, string action)
    {
        var answer = await SubmitAsync(await ConfirmationAsync(deposit, order, action));
        Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
        return await PageAsync(answer.Headers.Location!.ToString());
    }

    public static IEnumerable<KeyValuePair<string, string>> Hidden(string html)
        => HiddenInput().Matches(html).Select(match => new KeyValuePair<string, string>(match.Groups[1].Value, WebUtility.HtmlDecode(match.Groups[2].Value)))
            .DistinctBy(pair => pair.Key);

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+/orders/[0-9]+/(?:sign|unsign|pay))\">")]
    private static partial Regex ConfirmAction();
}

/// <summary>
/// The order every console test starts from (Ali's, one internal and one Paya row, Sara signs first, Narges second)
/// and the API calls around it, over whichever client reaches the gateway: the in-memory one, or a socket to the
/// Kestrel host the browser uses.
/// </summary>
public sealed class ConsoleScenario(HavaleFactory gateway, Func<string?, HttpClient> open)
{
    public const long InternalRials = 2_500_000;
    public const long PayaRials = 15_000_000;

    public static ConsoleScenario InMemory(HavaleFactory gateway)
        => new(gateway, bearer => bearer is null ? gateway.CreateJsonClient() : gateway.WithBearer(bearer));

    /// <summary>A person with their own Kilid token on the corporate deposit.</summary>
    public async Task<Person> PersonAsync(string nid)
    {
        var token = (await open(null).SandboxCodeAsync(AllScopes, [Corporate], Seed.DemoAmountRialsMax, nid: nid)).Value();
        return new Person(nid, Corporate, open(token));
    }

    public async Task<long> CreateOrderAsync()
        => await (await PersonAsync(Owner)).CreatedAsync(KilidDriver.Body(
            [
                KilidDriver.Row(InternalRials, Demo, description: "اجاره آذر"),
                KilidDriver.Row(PayaRials, MellatIban, name: "محمود دولت‌آبادی", description: "پرداخت قبض", referenceCode: "100023"),
            ],
            Owner, ceremonies: $"[{{\"nid\": \"{FirstSigner}\", \"order\": 1}}, {{\"nid\": \"{SecondSigner}\", \"order\": 2}}]",
            note: "پرداخت آذرماه"));

    /// <summary>A day of the test's own at noon: the sandbox clock only moves forward, and stands still there.</summary>
    public async Task<DateOnly> StartDayAtNoonAsync()
    {
        var day = new SandboxDriver(gateway).NextFreeDayTehran();
        await MoveClockToAsync(SandboxDriver.Tehran(day, 12, 0, 0));
        return day;
    }

    /// <summary>A fresh day at noon and the scenario's order made on it.</summary>
    public async Task<long> OrderOfTheDayAsync()
    {
        await StartDayAtNoonAsync();
        return await CreateOrderAsync();
    }

    public async Task MoveClockToAsync(DateTimeOffset now)
    {
        var client = open(null);
        client.DefaultRequestHeaders.Authorization = Tokens.Basic(Seed.DemoClient, Seed.DemoSecret);
        var text = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
        (await client.CallAsync(HttpMethod.Put, "/sandbox/v1/clock", $$"""{"now": "{{text}}"}""")).ShouldSucceed();
    }
}
