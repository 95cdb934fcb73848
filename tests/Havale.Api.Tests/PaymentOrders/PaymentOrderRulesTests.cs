using Havale.Api.Features.PaymentOrders;
using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.PaymentOrders;

/// <summary>Every rule of create and its companions, at each bound and one past it, and every refusal the issue lists.</summary>
public abstract class PaymentOrderRulesTests(QuietRailsGateway gateway)
{
    private const string DemoIban = "IR210620000000302876732315";
    private const string CorporateIban = "IR360620000000201648361007";
    private readonly KilidDriver _kilid = new(gateway);

    private async Task<int> OrdersStoredAsync()
    {
        await using var db = await gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
        return await db.PaymentOrders.CountAsync();
    }

    private static string Text(int chars, string letter = "ب") => string.Concat(Enumerable.Repeat(letter, chars));

    public static TheoryData<string, int> InvalidRows() => new()
    {
        // The seed's own error example: a 14-digit number.
        { """{"amount": 1, "description": "45216941584", "number": "00201070797001", "reference_code": "45216941584"}""", 1 },
        { """{"amount": "12000", "number": "0555555555555"}""", 1 },
        { """{"amount": "12000", "number": "IR370120000000003141592654", "name": "محمود دولت‌آبادی", "description": "قبض"}""", 1 },
        { """{"amount": "12000"}""", 1 },
        { """{"amount": "12000", "number": 201648361007}""", 1 },
        { """["not", "an", "object"]""", 1 },
        { """{"amount": "abc", "number": "0201648361007"}""", 2 },
        { """{"amount": 0, "number": "0201648361007"}""", 2 },
        { """{"amount": -5, "number": "0201648361007"}""", 2 },
        { """{"amount": 1.5, "number": "0201648361007"}""", 2 },
        { """{"number": "0201648361007"}""", 2 },
        { """{"amount": 9999, "number": "IR370120000000003141592653", "name": "محمود دولت‌آبادی", "description": "قبض"}""", 3 },
        { """{"amount": 2000000001, "number": "IR370120000000003141592653", "name": "محمود دولت‌آبادی", "description": "قبض"}""", 4 },
        { """{"amount": 20000, "number": "IR370120000000003141592653", "description": "قبض"}""", 5 },
        { """{"amount": 20000, "number": "IR370120000000003141592653", "name": "م", "description": "قبض"}""", 5 },
        { $$"""{"amount": 20000, "number": "IR370120000000003141592653", "name": "{{Text(61)}}", "description": "قبض"}""", 5 },
        { """{"amount": 20000, "number": "IR360620000000201648361007", "description": "قبض"}""", 5 },
        { """{"amount": 20000, "number": "IR370120000000003141592653", "name": "محمود دولت‌آبادی"}""", 6 },
        { $$"""{"amount": 20000, "number": "IR370120000000003141592653", "name": "محمود دولت‌آبادی", "description": "{{Text(31)}}"}""", 6 },
        { """{"amount": 20000, "number": "0201648361007", "description": "a\u202Eb"}""", 6 },
        { """{"amount": 20000, "number": "0201648361007", "reference_code": "1234567890123456"}""", 7 },
        { """{"amount": 20000, "number": "0201648361007", "reference_code": "12a"}""", 7 },
        { """{"amount": 20000, "number": "0302876732315"}""", 8 },
        { """{"amount": 20000, "number": "IR210620000000302876732315", "name": "مریم احمدی", "description": "خودم"}""", 8 },
    };

    [Theory]
    [MemberData(nameof(InvalidRows))]
    public async Task an_invalid_destination_is_refused_as_the_seed_shows_with_the_row_as_sent_and_nothing_is_stored(string row, int code)
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var stored = await OrdersStoredAsync();
        var good = KilidDriver.Row(30_000, Corporate);

        var answer = await demo.CreateAsync(KilidDriver.Body([good, row], DemoPerson));

        var invalid = answer.ShouldRefuseOrder(code);
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(row).RootElement), JsonSerializer.Serialize(invalid));
        Assert.Equal(stored, await OrdersStoredAsync());
    }

    public static TheoryData<string> RowsAtTheirBounds() =>
    [
        """{"amount": 10000, "number": "IR370120000000003141592653", "name": "محمود دولت‌آبادی", "description": "کمینه پایا"}""",
        """{"amount": "2000000000", "number": "IR370120000000003141592653", "name": "محمود دولت‌آبادی", "description": "بیشینه پایا"}""",
        $$"""{"amount": 20000, "number": "IR370120000000003141592653", "name": "{{Text(60)}}", "description": "{{Text(30)}}"}""",
        $$"""{"amount": 20000, "number": "IR370120000000003141592653", "name": "{{Text(2)}}", "description": "{{Text(1)}}"}""",
        """{"amount": 20000, "number": "0201648361007", "reference_code": "123456789012345"}""",
        """{"amount": 1, "number": "0201648361007"}""",
        """{"amount": "۱۲۰۰۰", "number": "IR360620000000201648361007", "name": "علی رضایی", "description": "شبای داخلی"}""",
    ];

    [Theory]
    [MemberData(nameof(RowsAtTheirBounds))]
    public async Task a_destination_at_each_bound_is_accepted(string row)
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var created = (await demo.CreateAsync(KilidDriver.Body([row], DemoPerson))).ShouldSucceed().Result;
        Assert.Equal("ready", created.Row(0).State());
    }

    [Fact]
    public async Task a_host_bank_iban_goes_internal_and_another_banks_iban_by_paya()
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var created = (await demo.CreateAsync(KilidDriver.Body(
            [KilidDriver.Row(20_000, CorporateIban, "علی رضایی", "شبای داخلی"), KilidDriver.Row(20_000, SamanIban, "صادق هدایت", "پایا")],
            DemoPerson))).ShouldSucceed().Result;
        Assert.Equal("internal", created.Row(0).GetProperty("transfer_type").GetString());
        Assert.Equal("paya", created.Row(1).GetProperty("transfer_type").GetString());
    }

    [Fact]
    public async Task an_order_takes_a_thousand_destinations_and_not_one_more_nor_none()
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var row = KilidDriver.Row(1, Corporate);
        var created = (await demo.CreateAsync(KilidDriver.Body(Enumerable.Repeat(row, PaymentOrderLimits.DestinationsPerOrderMax), DemoPerson)))
            .ShouldSucceed().Result;
        Assert.Equal(PaymentOrderLimits.DestinationsPerOrderMax, created.GetProperty("destinations").GetArrayLength());

        var stored = await OrdersStoredAsync();
        (await demo.CreateAsync(KilidDriver.Body(Enumerable.Repeat(row, PaymentOrderLimits.DestinationsPerOrderMax + 1), DemoPerson)))
            .ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await demo.CreateAsync(KilidDriver.Body([], DemoPerson))).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(stored, await OrdersStoredAsync());
    }

    [Fact]
    public async Task the_note_takes_a_hundred_characters_and_not_one_more()
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var row = KilidDriver.Row(20_000, Corporate);
        Assert.Equal(Text(100), (await demo.CreateAsync(KilidDriver.Body([row], DemoPerson, note: Text(100)))).ShouldSucceed().Result
            .GetProperty("note").GetString());
        (await demo.CreateAsync(KilidDriver.Body([row], DemoPerson, note: Text(101)))).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    public static TheoryData<string, int> InvalidCeremonies() => new()
    {
        { $$"""[{"nid": "{{FirstSigner}}", "order": 1}, {"nid": "{{DemoPerson}}", "order": 2}]""", 10 },
        { $$"""[{"nid": "{{FirstSigner}}", "order": 4}, {"nid": "{{SecondSigner}}", "order": 2}]""", 9 },
        { $$"""[{"nid": "{{FirstSigner}}", "order": 0}, {"nid": "{{SecondSigner}}", "order": 2}]""", 9 },
        { $$"""[{"nid": "0123456780", "order": 1}, {"nid": "{{SecondSigner}}", "order": 2}]""", 9 },
        { $$"""[{"nid": "{{FirstSigner}}", "order": 1}, {"nid": "{{FirstSigner}}", "order": 2}]""", 11 },
        { $$"""[{"nid": "{{FirstSigner}}", "order": 1}]""", 12 },
    };

    [Theory]
    [MemberData(nameof(InvalidCeremonies))]
    public async Task ceremonies_may_name_only_the_deposits_signatories_once_each_in_orders_one_to_three_and_enough_of_them(string ceremonies, int code)
    {
        var owner = await _kilid.PersonAsync(Owner, Corporate);
        var stored = await OrdersStoredAsync();
        (await owner.CreateAsync(KilidDriver.Body([KilidDriver.Row(20_000, Demo)], Owner, ceremonies))).ShouldRefuseOrder(code);
        Assert.Equal(stored, await OrdersStoredAsync());
    }

    [Fact]
    public async Task a_ceremony_without_an_order_is_at_order_two_and_no_ceremonies_means_every_signatory_at_order_two()
    {
        var owner = await _kilid.PersonAsync(Owner, Corporate);
        var given = (await owner.CreateAsync(KilidDriver.Body([KilidDriver.Row(20_000, Demo)], Owner,
            $$"""[{"nid": "{{FirstSigner}}", "order": 3}, {"nid": "{{SecondSigner}}"}]"""))).ShouldSucceed().Result;
        Assert.Equal([(SecondSigner, 2), (FirstSigner, 3)], given.GetProperty("ceremonies").EnumerateArray()
            .Select(ceremony => (ceremony.GetProperty("nid").GetString(), ceremony.GetProperty("order").GetInt32())));
        var defaulted = (await owner.CreateAsync(KilidDriver.Body([KilidDriver.Row(20_000, Demo)], Owner))).ShouldSucceed().Result;
        Assert.Equal(3, defaulted.GetProperty("ceremonies").GetArrayLength());
        Assert.All(defaulted.GetProperty("ceremonies").EnumerateArray(), ceremony => Assert.Equal(2, ceremony.GetProperty("order").GetInt32()));
    }

    [Fact]
    public async Task only_an_owner_creates_and_with_a_code_token_only_as_themselves()
    {
        var signer = await _kilid.PersonAsync(FirstSigner, Corporate);
        var owner = await _kilid.PersonAsync(Owner, Corporate);
        (await signer.CreateAsync(KilidDriver.Body([KilidDriver.Row(20_000, Demo)], FirstSigner))).ShouldRefuseOrder(14);
        (await owner.CreateAsync(KilidDriver.Body([KilidDriver.Row(20_000, Demo)], FirstSigner))).ShouldRefuseOrder(13);
    }

    private async Task<(Person Owner, Person First, Person Second, long Order)> CorporateOrderAsync()
    {
        var owner = await _kilid.PersonAsync(Owner, Corporate);
        var first = await _kilid.PersonAsync(FirstSigner, Corporate);
        var second = await _kilid.PersonAsync(SecondSigner, Corporate);
        var order = await owner.CreatedAsync(KilidDriver.Body([KilidDriver.Row(20_000, Demo, description: "اول")], Owner,
            $$"""[{"nid": "{{FirstSigner}}", "order": 1}, {"nid": "{{SecondSigner}}", "order": 2}]""", "یادداشت"));
        return (owner, first, second, order);
    }

    [Fact]
    public async Task an_unsigned_order_is_edited_and_deleted_with_history_but_not_once_someone_signed()
    {
        var (owner, first, _, order) = await CorporateOrderAsync();
        var edited = (await owner.EditAsync(order, KilidDriver.Body(
            [KilidDriver.Row(25_000, Demo, description: "دوم"), KilidDriver.Row(26_000, Demo)], Owner))).ShouldSucceed().Result;
        Assert.Equal(2, edited.GetProperty("destinations").GetArrayLength());
        Assert.Equal("یادداشت", edited.GetProperty("note").GetString());
        Assert.Equal(["create", "edit"], edited.Actions());

        (await first.SignAsync(order)).ShouldSucceed();
        (await owner.EditAsync(order, KilidDriver.Body([KilidDriver.Row(1, Demo)], Owner))).ShouldRefuseOrder(16);
        (await owner.DeleteAsync(order, $$"""{"nationalCode": "{{Owner}}", "note": "نه"}""")).ShouldRefuseOrder(16);

        (await first.UnsignAsync(order)).ShouldSucceed();
        (await owner.DeleteAsync(order, $$"""{"nationalCode": "{{Owner}}", "note": "{{Text(101)}}"}""")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await owner.DeleteAsync(order, $$"""{"nationalCode": "{{Owner}}"}""")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var deleted = (await owner.DeleteAsync(order, $$"""{"nationalCode": "{{Owner}}", "note": "{{Text(100)}}"}""")).ShouldSucceed().Result;
        Assert.Equal(order, deleted.GetProperty("request").GetInt64());
        Assert.Equal("success", deleted.GetProperty("message").GetString());
        var view = await owner.OrderAsync(order);
        Assert.Equal("deleted", view.Status());
        Assert.Equal(["create", "edit", "sign", "unsign", "delete"], view.Actions());
        (await first.SignAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task a_signatory_not_in_the_ceremonies_cannot_sign_and_signing_twice_changes_nothing()
    {
        var (owner, first, second, order) = await CorporateOrderAsync();
        // The owner is a signatory of the deposit, but this order's ceremonies name only the other two.
        (await owner.SignAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var once = (await first.SignAsync(order)).ShouldSucceed().Result;
        var twice = (await first.SignAsync(order)).ShouldSucceed().Result;
        Assert.Equal("pending", twice.Status());
        Assert.Equal(once.GetProperty("history").GetArrayLength(), twice.GetProperty("history").GetArrayLength());
        Assert.Equal(1, twice.GetProperty("signs").GetArrayLength());
        (await second.UnsignAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("signed", (await second.SignAsync(order)).ShouldSucceed().Result.Status());
        Assert.Equal("pending", (await second.UnsignAsync(order)).ShouldSucceed().Result.Status());
    }

    [Fact]
    public async Task an_unsigned_order_is_not_paid_and_a_paid_one_answers_its_trackid_again_and_refuses_a_new_one()
    {
        // Internal transfers pause from 23:54 to 00:00 Tehran time; on the real clock this test would fail then.
        await _kilid.Sandbox.MoveClockToAsync(SandboxDriver.Tehran(_kilid.Sandbox.NextFreeDayTehran(), 12, 0, 0));
        var (_, first, second, order) = await CorporateOrderAsync();
        (await second.PayAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await first.SignAsync(order)).ShouldSucceed();
        (await second.PayAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await second.SignAsync(order)).ShouldSucceed();
        var before = await LedgerAudit.ReadAsync(gateway.Services);

        var trackId = KilidDriver.NewTrackId();
        var paid = (await first.PayAsync(order, trackId)).ShouldSucceed();
        var again = await first.PayAsync(order, trackId);
        Assert.Equal(paid.Raw, again.Raw);
        (await first.PayAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(-20_000, after.BalanceRials(Corporate) - before.BalanceRials(Corporate));
    }

    [Fact]
    public async Task an_order_the_balance_cannot_cover_is_refused_whole_and_nothing_is_held_or_moved()
    {
        // Internal transfers pause from 23:54 to 00:00 Tehran time; on the real clock this test would fail then.
        await _kilid.Sandbox.MoveClockToAsync(SandboxDriver.Tehran(_kilid.Sandbox.NextFreeDayTehran(), 12, 0, 0));
        var small = await _kilid.PersonAsync(SmallPerson, Small);
        var before = await LedgerAudit.ReadAsync(gateway.Services);
        var available = before.BalanceRials(Small) - before.PendingRials(Small);
        const long RowRials = 100_000_000;
        var rows = Enumerable.Repeat(KilidDriver.Row(RowRials, Demo), (int)(available / RowRials))
            .Append(KilidDriver.Row(RowRials, MelliIban, "احمد شاملو", "یک ردیف زیادی")).ToList();
        var order = await small.CreatedAsync(KilidDriver.Body(rows, SmallPerson));
        (await small.SignAsync(order)).ShouldSucceed();

        (await small.PayAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(before.BalanceRials(Small), after.BalanceRials(Small));
        Assert.Equal(before.PendingRials(Small), after.PendingRials(Small));
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
        var view = await small.OrderAsync(order);
        Assert.Equal("signed", view.Status());
        Assert.All(view.GetProperty("destinations").EnumerateArray(), row => Assert.Equal("ready", row.State()));
    }

    [Fact]
    public async Task a_row_above_the_tokens_limit_is_not_paid()
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo, limitRials: 50_000);
        var order = await demo.CreatedAsync(KilidDriver.Body([KilidDriver.Row(50_001, Corporate)], DemoPerson));
        (await demo.SignAsync(order)).ShouldSucceed();
        (await demo.PayAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task the_list_filters_by_jalali_month_and_search_pages_within_bounds_and_is_empty_when_nothing_matches()
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var marker = "نشان" + Guid.NewGuid().ToString("N")[..6];
        var byNote = await demo.CreatedAsync(KilidDriver.Body([KilidDriver.Row(20_000, Corporate)], DemoPerson, note: marker));
        var byName = await demo.CreatedAsync(KilidDriver.Body([KilidDriver.Row(20_000, SamanIban, marker, "پایا")], DemoPerson));
        var created = (await demo.OrderAsync(byNote)).GetProperty("created_date").GetString()!;
        var (year, month) = (created[..4], created[4..6]);

        var found = (await demo.ListAsync($"search={Uri.EscapeDataString(marker)}&year={year}&month={month}")).ShouldSucceed().Result;
        Assert.Equal([byName, byNote], found.EnumerateArray().Select(order => order.GetProperty("request").GetInt64()));
        var otherYear = (int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, (await demo.ListAsync($"search={Uri.EscapeDataString(marker)}&year={otherYear}")).ShouldSucceed().Result.GetArrayLength());
        Assert.Equal(0, (await demo.ListAsync("search=nothing-like-this")).ShouldSucceed().Result.GetArrayLength());

        (await demo.ListAsync($"search={Text(100)}")).ShouldSucceed();
        (await demo.ListAsync($"search={Text(101)}")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(1, (await demo.ListAsync("limit=1")).ShouldSucceed().Result.GetArrayLength());
        (await demo.ListAsync($"limit={PaymentOrderLimits.OrdersPageSizeMax}")).ShouldSucceed();
        (await demo.ListAsync($"limit={PaymentOrderLimits.OrdersPageSizeMax + 1}")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await demo.ListAsync("limit=0")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await demo.ListAsync($"offset={PaymentOrderLimits.OffsetMax}")).ShouldSucceed();
        (await demo.ListAsync($"offset={PaymentOrderLimits.OffsetMax + 1}")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await demo.ListAsync("month=1")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await demo.ListAsync($"year={year}&month=13")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task the_list_also_takes_the_deposits_scope_a_public_page_prints()
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo, scopes: "kilid:deposits:get");
        (await demo.ListAsync()).ShouldSucceed();
    }

    [Fact]
    public async Task a_person_sees_their_active_deposits_and_their_name()
    {
        var owner = await _kilid.PersonAsync(Owner, Corporate);
        var deposits = (await owner.Client.GetEnvelopeAsync($"/keylead/v2/clients/{Seed.DemoClient}/users/{Owner}/deposits")).ShouldSucceed()
            .Result.GetProperty("deposits");
        var only = Assert.Single(deposits.EnumerateArray());
        Assert.Equal(Corporate, only.GetProperty("number").GetString());
        Assert.Equal(CorporateIban, only.GetProperty("iban").GetString());
        Assert.Equal(2, only.GetProperty("required_signatures").GetInt32());

        var info = await owner.Client.GetEnvelopeAsync($"/keylead/v2/clients/{Seed.DemoClient}/{Owner}/info?trackId=info-1");
        Assert.Equal(HttpStatusCode.OK, info.Status);
        Assert.Equal("علی", info.Str("first_name"));
        Assert.Equal("رضایی", info.Str("last_name"));
        Assert.Equal(Owner, info.Str("nid"));
        Assert.Equal("info-1", info.Str("trackId"));
    }

    [Fact]
    public async Task statement_dates_and_pages_are_checked()
    {
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        (await demo.StatementAsync("fromDate=14000101&toDate=14991229")).ShouldSucceed();
        (await demo.StatementAsync("fromDate=14050731")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await demo.StatementAsync("fromDate=14050301&toDate=14050201")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        (await demo.StatementAsync($"limit={PaymentOrderLimits.StatementPageSizeMax}")).ShouldSucceed();
        (await demo.StatementAsync($"limit={PaymentOrderLimits.StatementPageSizeMax + 1}")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task an_order_of_another_deposit_or_none_at_all_is_not_found()
    {
        var (_, _, _, order) = await CorporateOrderAsync();
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        (await demo.ViewAsync(order)).ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        (await demo.ViewAsync(long.MaxValue)).ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        (await demo.Client.GetEnvelopeAsync($"{demo.Base}/requests/abc")).ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}

public sealed class PaymentOrderRulesTests_on_sqlite(QuietRailsSqliteGateway gateway)
    : PaymentOrderRulesTests(gateway), IClassFixture<QuietRailsSqliteGateway>;

public sealed class PaymentOrderRulesTests_on_postgres(QuietRailsPostgresGateway gateway)
    : PaymentOrderRulesTests(gateway), IClassFixture<QuietRailsPostgresGateway>;
