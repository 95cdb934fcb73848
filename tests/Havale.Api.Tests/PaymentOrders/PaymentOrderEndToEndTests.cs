using Havale.Api.Ledger;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.PaymentOrders;

/// <summary>
/// Kilid from creation to settlement over HTTP, with real tokens for each person and the sandbox clock moved past a
/// Paya cycle. Each test takes a day of its own (the clock only moves forward) and a destination bank of its own.
/// </summary>
public abstract class PaymentOrderEndToEndTests(QuietRailsGateway gateway)
{
    private readonly KilidDriver _kilid = new(gateway);

    private async Task<DateOnly> StartDayAtNoonAsync()
    {
        var day = _kilid.Sandbox.NextFreeDayTehran();
        await _kilid.Sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 12, 0, 0));
        return day;
    }

    [Fact]
    public async Task three_people_create_sign_in_order_and_pay_an_internal_and_a_paya_row_until_the_order_is_done()
    {
        var day = await StartDayAtNoonAsync();
        var creator = await _kilid.PersonAsync(Owner, Corporate);
        var first = await _kilid.PersonAsync(FirstSigner, Corporate);
        var second = await _kilid.PersonAsync(SecondSigner, Corporate);
        var before = await LedgerAudit.ReadAsync(gateway.Services);
        const long InternalRials = 2_500_000;
        const long PayaRials = 15_000_000;

        var created = (await creator.CreateAsync(KilidDriver.Body(
            [
                KilidDriver.Row("2500000", Demo, description: "اجاره آذر"),
                KilidDriver.Row(PayaRials, MellatIban, name: "محمود دولت‌آبادی", description: "پرداخت قبض", referenceCode: "100023"),
            ],
            Owner, ceremonies: $"[{{\"nid\": \"{FirstSigner}\", \"order\": 1}}, {{\"nid\": \"{SecondSigner}\", \"order\": 2}}]",
            note: "پرداخت آذرماه"))).ShouldSucceed().Result;
        var order = created.GetProperty("request").GetInt64();
        Assert.Equal("created", created.Status());
        Assert.Equal(Corporate, created.GetProperty("number").GetString());
        Assert.Equal(14, created.GetProperty("created_date").GetString()!.Length);
        Assert.Equal("internal", created.Row(0).GetProperty("transfer_type").GetString());
        Assert.Equal("paya", created.Row(1).GetProperty("transfer_type").GetString());
        Assert.All(created.GetProperty("destinations").EnumerateArray(), row => Assert.Equal("ready", row.State()));
        Assert.Equal(InternalRials, created.Row(0).GetProperty("amount").GetInt64());
        Assert.Equal("100023", created.Row(1).GetProperty("payment_number").GetString());

        // The second signer is at order 2 and the first (order 1) has not signed yet.
        (await second.SignAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("pending", (await first.SignAsync(order)).ShouldSucceed().Result.Status());
        var signed = (await second.SignAsync(order)).ShouldSucceed().Result;
        Assert.Equal("signed", signed.Status());
        Assert.Equal([FirstSigner, SecondSigner], signed.GetProperty("signs").EnumerateArray().Select(sign => sign.GetProperty("nid").GetString()));

        var paid = (await second.PayAsync(order)).ShouldSucceed().Result;
        Assert.Equal("inprogress", paid.Status());
        Assert.Equal("success", paid.Row(0).State());
        Assert.Equal("wait", paid.Row(1).State());
        foreach (var row in paid.GetProperty("destinations").EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(row.GetProperty("ref_code").GetString()));
            Assert.False(string.IsNullOrEmpty(row.GetProperty("trackId").GetString()));
            Assert.Equal(14, row.GetProperty("pay_date").GetString()!.Length);
        }
        var held = await LedgerAudit.ReadAsync(gateway.Services);
        Assert.Equal(-InternalRials, held.BalanceRials(Corporate) - before.BalanceRials(Corporate));
        Assert.Equal(PayaRials, held.PendingRials(Corporate) - before.PendingRials(Corporate));
        Assert.Equal(InternalRials, held.BalanceRials(Demo) - before.BalanceRials(Demo));

        await _kilid.Sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 46, 0));

        var done = await first.OrderAsync(order);
        Assert.Equal("done", done.Status());
        Assert.Equal("success", done.Row(1).State());
        Assert.True(done.Row(1).GetProperty("failure_message").ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal(["create", "sign", "sign", "pay"], done.Actions());
        var history = done.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([Owner, FirstSigner, SecondSigner, SecondSigner], history.Select(entry => entry.GetProperty("nid").GetString()));
        Assert.All(history, entry => Assert.False(string.IsNullOrEmpty(entry.GetProperty("first_name").GetString())));
        Assert.All(history, entry => Assert.Equal(14, entry.GetProperty("date").GetString()!.Length));

        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(-(InternalRials + PayaRials), after.BalanceRials(Corporate) - before.BalanceRials(Corporate));
        Assert.Equal(before.PendingRials(Corporate), after.PendingRials(Corporate));
        Assert.Equal(InternalRials, after.BalanceRials(Demo) - before.BalanceRials(Demo));
        Assert.Equal(PayaRials, after.BalanceRials(LedgerAccountCodes.Bank("012")) - before.BalanceRials(LedgerAccountCodes.Bank("012")));
        await _kilid.Sandbox.LedgerAsync();
    }

    [Fact]
    public async Task a_paya_row_whose_bank_rejects_it_fails_with_its_reason_and_the_money_comes_back()
    {
        var day = await StartDayAtNoonAsync();
        await _kilid.Sandbox.SetBankAsync("061", "reject");
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var before = await LedgerAudit.ReadAsync(gateway.Services);

        var order = await demo.CreatedAsync(KilidDriver.Body(
            [KilidDriver.Row(40_000, Corporate), KilidDriver.Row(70_000, ShahrIban, name: "سیمین دانشور", description: "کتاب")], DemoPerson));
        (await demo.SignAsync(order)).ShouldSucceed();
        Assert.Equal("wait", (await demo.PayAsync(order)).ShouldSucceed().Result.Row(1).State());
        await _kilid.Sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 46, 0));

        var done = await demo.OrderAsync(order);
        Assert.Equal("done", done.Status());
        Assert.Equal("success", done.Row(0).State());
        Assert.Equal("failed", done.Row(1).State());
        Assert.False(string.IsNullOrEmpty(done.Row(1).GetProperty("failure_message").GetString()));
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(-40_000, after.BalanceRials(Demo) - before.BalanceRials(Demo));
        Assert.Equal(before.PendingRials(Demo), after.PendingRials(Demo));
        Assert.Equal(before.BalanceRials(LedgerAccountCodes.Bank("061")), after.BalanceRials(LedgerAccountCodes.Bank("061")));
        await _kilid.Sandbox.SetBankAsync("061", "normal");
    }

    [Fact]
    public async Task the_statement_shows_each_posted_line_with_the_balance_after_it()
    {
        await StartDayAtNoonAsync();
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var order = await demo.CreatedAsync(KilidDriver.Body([KilidDriver.Row(11_000, Corporate, description: "سطر یک"),
            KilidDriver.Row(12_000, Corporate, description: "سطر دو")], DemoPerson));
        (await demo.SignAsync(order)).ShouldSucceed();
        (await demo.PayAsync(order)).ShouldSucceed();
        var balanceRials = (await LedgerAudit.ReadAsync(gateway.Services)).BalanceRials(Demo);

        var entries = (await demo.StatementAsync("limit=200")).ShouldSucceed().Result.GetProperty("entries").EnumerateArray().ToList();
        var last = entries[^1];
        Assert.Equal(balanceRials, last.GetProperty("balance").GetInt64());
        Assert.Equal(-12_000, last.GetProperty("amount").GetInt64());
        Assert.Contains("سطر دو", last.GetProperty("description").GetString());
        Assert.Equal(balanceRials + 12_000, entries[^2].GetProperty("balance").GetInt64());
        Assert.False(string.IsNullOrEmpty(last.GetProperty("reference").GetString()));
        Assert.Equal(0, entries[0].GetProperty("balance").GetInt64() - entries[0].GetProperty("amount").GetInt64());
    }
}

public sealed class PaymentOrderEndToEndTests_on_sqlite(QuietRailsSqliteGateway gateway)
    : PaymentOrderEndToEndTests(gateway), IClassFixture<QuietRailsSqliteGateway>;

public sealed class PaymentOrderEndToEndTests_on_postgres(QuietRailsPostgresGateway gateway)
    : PaymentOrderEndToEndTests(gateway), IClassFixture<QuietRailsPostgresGateway>;
