namespace Havale.Client.Tests;

/// <summary>Kilid through the client: every service, by the people of the sandbox's corporate deposit, each with their own token.</summary>
public abstract class KilidClientTests(ClientGateway gateway) : IDisposable
{
    private readonly ClientKit _kit = new(gateway);

    private static OrderDraft TwoRows(string note) => new()
    {
        NationalCode = People.Ali,
        Note = note,
        Destinations =
        [
            new OrderDestination { AmountRials = 12_000_000, Number = People.MaryamDeposit, Description = "حقوق آذر", ReferenceCode = "548201" },
            new OrderDestination
            {
                AmountRials = 25_000_000, Number = People.TejaratIban, Name = "منیرو روانی‌پور", Description = "پرداخت قبض", ReferenceCode = "100023",
            },
        ],
    };

    [Fact]
    public async Task an_order_is_created_edited_signed_by_two_paid_and_done_after_the_paya_cycle()
    {
        var day = await _kit.StartDayAsync();
        var ali = await _kit.KilidAsync(People.Ali);
        var sara = await _kit.KilidAsync(People.Sara);
        var narges = await _kit.KilidAsync(People.Narges);
        var before = await _kit.BalancedLedgerAsync();

        var created = await ali.CreateOrderAsync(TwoRows("پرداخت آذرماه"), "client-order-1");
        var edited = await ali.EditOrderAsync(created.Id, new OrderDraft { NationalCode = People.Ali, Note = "پرداخت آذر و دی" });
        var listed = await ali.ListOrdersAsync(new OrderQuery { Search = "آذر و دی", Limit = 10 });
        var pending = await sara.SignAsync(created.Id);
        var signed = await narges.SignAsync(created.Id);
        var paid = await sara.PayAsync(created.Id);
        await _kit.Client.Sandbox.SetClockAsync(ClientKit.TehranAt(day, 10, 45));
        var done = await sara.GetOrderAsync(created.Id, nationalCode: People.Sara);

        Assert.Equal(OrderStatus.Created, created.Status);
        Assert.Equal(People.Corporate, created.SourceDeposit);
        Assert.Equal(ClientKit.TehranAt(day, 10, 0), created.CreatedDate.Tehran);
        Assert.Equal(14, created.CreatedDate.Text.Length);
        Assert.Equal([TransferType.Internal, TransferType.Paya], created.Destinations.Select(row => row.TransferType));
        Assert.Equal([RowState.Ready, RowState.Ready], created.Destinations.Select(row => row.State));
        Assert.Equal(37_000_000, created.TotalRials);
        Assert.Equal("پرداخت آذر و دی", edited.Note);
        Assert.Equal(created.Id, Assert.Single(listed).Id);
        Assert.Equal(OrderStatus.Pending, pending.Status);
        Assert.Equal(OrderStatus.Signed, signed.Status);
        Assert.Equal([People.Sara, People.Narges], signed.Signs.Select(sign => sign.Nid));
        Assert.Equal(OrderStatus.InProgress, paid.Status);
        Assert.Equal([RowState.Success, RowState.Wait], paid.Destinations.Select(row => row.State));
        Assert.Equal(OrderStatus.Done, done.Status);
        Assert.Equal([RowState.Success, RowState.Success], done.Destinations.Select(row => row.State));
        Assert.Equal([OrderAction.Create, OrderAction.Edit, OrderAction.Sign, OrderAction.Sign, OrderAction.Pay], done.History.Select(entry => entry.Action));
        Assert.Equal("سارا", done.History[2].FirstName);
        Assert.NotNull(done.Destinations[0].PayDate.Tehran);
        var after = await _kit.BalancedLedgerAsync();
        Assert.Equal(-37_000_000, after.BalanceRials(People.Corporate) - before.BalanceRials(People.Corporate));
    }

    [Fact]
    public async Task a_signature_is_withdrawn_and_an_unsigned_order_deleted()
    {
        await _kit.StartDayAsync();
        var ali = await _kit.KilidAsync(People.Ali);
        var sara = await _kit.KilidAsync(People.Sara);
        var created = await ali.CreateOrderAsync(TwoRows("برای حذف"));

        var pending = await sara.SignAsync(created.Id);
        var unsigned = await sara.UnsignAsync(created.Id);
        var deleted = await ali.DeleteOrderAsync(created.Id, People.Ali, "اشتباه ثبت شد");
        var view = await ali.GetOrderAsync(created.Id);

        Assert.Equal(OrderStatus.Pending, pending.Status);
        Assert.Equal(OrderStatus.Created, unsigned.Status);
        Assert.Equal(created.Id, deleted.Id);
        Assert.Equal("success", deleted.Message);
        Assert.Equal(OrderStatus.Deleted, view.Status);
        Assert.Equal([OrderAction.Create, OrderAction.Sign, OrderAction.Unsign, OrderAction.Delete], view.History.Select(entry => entry.Action));
    }

    [Fact]
    public async Task a_refused_order_throws_with_kilids_code_both_messages_and_the_offending_row()
    {
        var ali = await _kit.KilidAsync(People.Ali);
        var draft = new OrderDraft
        {
            NationalCode = People.Ali,
            Destinations = [new OrderDestination { AmountRials = 1_000, Number = "00201070797001", Description = "45216941584" }],
        };

        var refusal = await Assert.ThrowsAsync<HavaleApiException>(() => ali.CreateOrderAsync(draft, "refused-order-1"));

        Assert.Equal(HttpStatusCode.BadRequest, refusal.HttpStatus);
        Assert.Equal("VALIDATION_ERROR", refusal.Code);
        Assert.Equal("refused-order-1", refusal.TrackId);
        Assert.Equal(1, refusal.KilidRefusal!.Code);
        Assert.StartsWith("invalid destination deposit", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("حساب مقصد نامعتبر است", refusal.KilidRefusal.FarsiMessage);
        Assert.Equal("00201070797001", refusal.KilidRefusal.InvalidParameter!.Value.GetProperty("number").GetString());
    }

    [Fact]
    public async Task the_person_their_active_deposits_and_the_deposits_statement_are_read()
    {
        var day = await _kit.StartDayAsync();
        var ali = await _kit.KilidAsync(People.Ali);

        var customer = await ali.CustomerAsync("who-is-ali-1");
        var deposits = await ali.ActiveDepositsAsync();
        var statement = await ali.StatementAsync(new StatementQuery { ToTehranDay = day, Limit = 5 });

        Assert.Equal("علی", customer.FirstName);
        Assert.Equal("رضایی", customer.LastName);
        Assert.Equal(People.Ali, customer.Nid);
        Assert.Equal("who-is-ali-1", customer.TrackId);
        var corporate = Assert.Single(deposits);
        Assert.Equal(People.Corporate, corporate.Number);
        Assert.Equal(2, corporate.RequiredSignatures);
        Assert.True(corporate.IsOwner);
        Assert.StartsWith("IR", corporate.Iban, StringComparison.Ordinal);
        var opening = statement[0];
        Assert.Equal(20_000_000_000, opening.AmountRials);
        Assert.Equal(20_000_000_000, opening.BalanceRials);
        Assert.NotNull(opening.Date.Tehran);
        Assert.All(statement, entry => Assert.NotNull(entry.Reference));
    }

    public void Dispose() => _kit.Dispose();
}

public sealed class KilidClientTests_on_sqlite(ClientSqliteGateway gateway) : KilidClientTests(gateway), IClassFixture<ClientSqliteGateway>;

public sealed class KilidClientTests_on_postgres(ClientPostgresGateway gateway) : KilidClientTests(gateway), IClassFixture<ClientPostgresGateway>;
