using System.Globalization;
using System.Text.Json.Nodes;
using Havale.Api.Ledger;

namespace Havale.Api.Tests.Pol;

/// <summary>
/// A gateway for Pol tests. The background resolver waits an hour, so that a timed-out payment stays unknown until the
/// test changes the bank's behaviour (which asks the banks about open holds before it answers).
/// </summary>
public class PolGateway(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    : HavaleFactory(database, WithQuietResolver(settings))
{
    private static Dictionary<string, string?> WithQuietResolver(IReadOnlyDictionary<string, string?>? settings)
        => new(settings ?? new Dictionary<string, string?>())
        {
            ["Havale:Rails:ResolveIntervalSeconds"] = "3600",
        };
}

public sealed class PolSqliteGateway() : PolGateway(TestDatabase.Sqlite);

public sealed class PolPostgresGateway() : PolGateway(TestDatabase.Postgres);

/// <summary>The seed's people, accounts and IBANs the Pol tests pay from and to.</summary>
public static class PolSeed
{
    public const string SourceDeposit = Seed.DemoDeposit;
    /// <summary>The source deposit's own IBAN at the host bank (Ayandeh, 062).</summary>
    public const string SourceIban = "IR210620000000302876732315";
    /// <summary>Another customer's deposit at the host bank: a valid IBAN, but Ayandeh is not a Pol destination.</summary>
    public const string OtherHostIban = "IR360620000000201648361007";
    /// <summary>A host-bank IBAN whose deposit does not exist.</summary>
    public const string UnknownHostIban = "IR890620000000003141611819";
    /// <summary>The seed's example as printed: its check digits fail mod-97.</summary>
    public const string SeedPrintedIban = "IR120620000000302876732315";
    public const string MellatIban = "IR370120000000003141592653";
    public const string ShahrIban = "IR440610000000003141592761";
    public const string ResalatIban = "IR780700000000003141593063";
    public const string SaderatIban = "IR070190000000003141593559";
    public const string SamanIban = "IR900560000000003141594249";
    public const string KhavarmianehIban = "IR740780000000003141595133";
    public const string MelliIban = "IR340170000000003141596211";
    public const string PasargadIban = "IR980570000000003141597483";
    public const string EghtesadNovinIban = "IR400550000000003141598949";
    public const string RefahIban = "IR090130000000003141600609";
    public const string SepahIban = "IR550150000000003141602463";
    public const string KeshavarziBlockedIban = "IR750160000000003141604511";
    public const string GardeshgariDormantIban = "IR560640000000003141606753";
    public const string IranZaminIban = "IR830690000000003141609189";
    public const string TejaratIban = "IR060180000000003141614643";

    /// <summary>Every active external account at a Pol bank in the seed.</summary>
    public static readonly IReadOnlyList<string> ActivePolIbans =
    [
        MellatIban, ShahrIban, ResalatIban, SaderatIban, SamanIban, KhavarmianehIban, MelliIban, PasargadIban, EghtesadNovinIban,
        RefahIban, SepahIban, IranZaminIban,
    ];

    /// <summary>A customer of the seed whose one deposit holds nothing.</summary>
    public const string EmptyNid = "1111111111";
    public const string EmptyDeposit = "0999999999999";

    public const string PayerScopes = Scopes.InstantPayment + "," + Scopes.TransactionInquiry + "," + Scopes.PolInquiry;

    /// <summary>The seed's example body, with a valid IBAN in place of the printed one.</summary>
    public static JsonObject ExampleBody(string destinationNumber = MellatIban, long amountRials = 10_000_000) => new()
    {
        ["amount"] = amountRials,
        ["description"] = "کتاب سلوک,جای خالی سلوچ,کلیدر",
        ["reasonDescription"] = "19",
        ["destinationFirstname"] = "محمود",
        ["destinationLastname"] = "دولت آبادی",
        ["destinationNumber"] = destinationNumber,
    };

    public static string Json(this JsonObject body) => body.ToJsonString();
}

/// <summary>
/// What every Pol test does: take a Tehran day of its own on the sandbox clock (the clock only moves forward, and the
/// daily caps count per day), mint real tokens after the clock has moved (a token older than 10 days has expired),
/// pay over HTTP, and read the ledger both over the sandbox route and in full.
/// </summary>
public sealed class PolKit(HavaleFactory gateway)
{
    public SandboxDriver Sandbox { get; } = new(gateway);

    public HavaleFactory Gateway => gateway;

    /// <summary>Moves the sandbox clock to the next free Tehran day at the given time and returns that day.</summary>
    public async Task<DateOnly> StartDayAsync(int hour = 12, int minute = 0, int second = 0)
    {
        var day = Sandbox.NextFreeDayTehran();
        await Sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, hour, minute, second));
        return day;
    }

    public Task MoveClockToAsync(DateOnly day, int hour, int minute, int second) => Sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, hour, minute, second));

    /// <summary>A client with an authorization-code token of the paying customer, from the sandbox shortcut.</summary>
    public async Task<HttpClient> PayerAsync(long limitRials = Seed.DemoAmountRialsMax, string nid = Seed.DemoNid, string deposit = Seed.DemoDeposit,
        string clientId = Seed.DemoClient, string secret = Seed.DemoSecret, string scopes = PolSeed.PayerScopes)
    {
        var token = await gateway.CreateJsonClient().SandboxCodeAsync(scopes, [deposit], limitRials, clientId, secret, nid);
        return gateway.WithBearer(token.Value());
    }

    /// <summary>The seed's other client, paying from its own customer's deposit (its registered limit is 50,000,000 rials).</summary>
    public Task<HttpClient> OtherClientsPayerAsync()
        => PayerAsync(limitRials: 50_000_000, nid: Seed.OtherNid, deposit: Seed.OtherDeposit, clientId: Seed.OtherClient, secret: Seed.OtherSecret,
            scopes: Scopes.InstantPayment + "," + Scopes.TransactionInquiry);

    /// <summary>A client with a client-credential token, as ibanInquiry takes.</summary>
    public async Task<HttpClient> BackOfficeAsync(string scopes = Scopes.IbanInquiry)
        => gateway.WithBearer((await gateway.CreateJsonClient().ClientCredentialAsync(scopes)).Value());

    public static string NewTrackId() => "pol-" + Guid.NewGuid().ToString("N");

    public static Task<Answer> PayAsync(HttpClient payer, string body, string trackId, string clientId = Seed.DemoClient)
        => payer.PostEnvelopeAsync($"/oak/v2/clients/{clientId}/instantPayment?trackId={trackId}", body);

    public static Task<Answer> PayAsync(HttpClient payer, JsonObject body, string? trackId = null)
        => PayAsync(payer, body.Json(), trackId ?? NewTrackId());

    public static Task<Answer> InquireAsync(HttpClient payer, string inquiryTrackId, string clientId = Seed.DemoClient)
        => payer.GetEnvelopeAsync($"/oak/v2/clients/{clientId}/transactionInquiry?inquiryTrackId={inquiryTrackId}");

    /// <summary>The ledger as the sandbox route shows it (sum 0) and as the full audit checks it (every invariant).</summary>
    public async Task<LedgerAudit> BalancedLedgerAsync()
    {
        await Sandbox.LedgerAsync();
        return (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
    }

    /// <summary>A balanced ledger with nothing held: every payment so far has its final outcome.</summary>
    public async Task<LedgerAudit> SettledLedgerAsync() => (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();

    /// <summary>What the host bank has settled to the bank that keeps this IBAN (its code is characters 5 to 7).</summary>
    public static long BankRials(LedgerAudit audit, string iban) => RialsAtBank(audit, iban[4..7]);

    /// <summary>Between two audits the source deposit paid exactly <paramref name="amountRials"/> and the IBAN's bank received exactly that.</summary>
    public static void ShouldHavePaid(LedgerAudit before, LedgerAudit after, string iban, long amountRials)
    {
        Assert.Equal(-amountRials, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
        Assert.Equal(amountRials, BankRials(after, iban) - BankRials(before, iban));
    }

    public static long RialsAtBank(LedgerAudit audit, string bankCode)
        => audit.Accounts.SingleOrDefault(account => account.Code == LedgerAccountCodes.Bank(bankCode))?.BalanceRials ?? 0;

    /// <summary>Pol holds made for a trackId of a client: one per payment that reached the rail.</summary>
    public static int PolHoldsFor(LedgerAudit audit, string trackId, string clientId = Seed.DemoClient)
        => audit.Transfers.Count(transfer => transfer.Kind == TransferKind.Pending && transfer.TrackId == trackId && transfer.ClientId == clientId);

    /// <summary>The Jalali date Pol prints for a Tehran day, computed here with .NET's PersianCalendar, not the gateway's code.</summary>
    public static string PolDate(DateOnly tehranDay)
    {
        var calendar = new PersianCalendar();
        var date = tehranDay.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture,
            $"{calendar.GetYear(date) % 100:D2}{calendar.GetMonth(date):D2}{calendar.GetDayOfMonth(date):D2}");
    }
}

public static class PolAnswers
{
    /// <summary>A 200 whose payment reached the bank and was credited: Havale's status DONE and the seed's state DONE.</summary>
    public static Answer ShouldBePaid(this Answer answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"expected 200, got {(int)answer.Status}: {answer.Raw}");
        Assert.Equal("DONE", answer.Str("status"));
        Assert.True(answer.Str("state") == "DONE", answer.Raw);
        return answer;
    }

    /// <summary>A 200 whose payment the bank refused or could not take: the call is DONE, the payment's state FAILED.</summary>
    public static Answer ShouldBeRefusedByTheBank(this Answer answer, string reason)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"expected 200, got {(int)answer.Status}: {answer.Raw}");
        Assert.Equal("DONE", answer.Str("status"));
        Assert.Equal("FAILED", answer.Str("state"));
        Assert.Equal(reason, answer.Str("message"));
        return answer;
    }

    /// <summary>A 400 VALIDATION_ERROR whose message names the field first, as "field: reason".</summary>
    public static Answer ShouldNameTheField(this Answer answer, string field)
    {
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith(field + ": ", answer.ErrorMessage, StringComparison.Ordinal);
        return answer;
    }

    public static JsonElement Owner(this JsonElement owners, int index) => owners.EnumerateArray().ElementAt(index);
}
