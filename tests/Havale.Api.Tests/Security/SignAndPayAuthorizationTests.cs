using Havale.Api.Tests.PaymentOrders;
using Havale.Api.Tests.Pol;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.Security;

/// <summary>
/// OWASP API5:2023 (broken function level authorization) for Kilid's two functions that matter most, sign and pay:
/// a token without the function's scope, a person who is not on the deposit, and a signatory whose turn it is not are
/// each refused, and the order, its signatures, its history and the ledger stay as they were.
/// </summary>
public abstract class SignAndPayAuthorizationTests(HavaleFactory gateway)
{
    private readonly KilidDriver _kilid = new(gateway);

    private const string AllButSignAndPay = "kilid:request:create,kilid:requests:get,kilid:request:get,kilid:request:update,kilid:request:delete";

    /// <summary>An order of the corporate deposit whose ceremonies put the first signer before the second.</summary>
    private async Task<(Person Owner, long Order)> OrderAsync()
    {
        // Internal transfers pause from 23:54 to 00:00 Tehran time; a pay test on the real clock would fail then.
        await _kilid.Sandbox.MoveClockToAsync(SandboxDriver.Tehran(_kilid.Sandbox.NextFreeDayTehran(), 12, 0, 0));
        var owner = await _kilid.PersonAsync(Owner, Corporate);
        var order = await owner.CreatedAsync(KilidDriver.Body([KilidDriver.Row(20_000, Demo)], Owner,
            $$"""[{"nid": "{{FirstSigner}}", "order": 1}, {"nid": "{{SecondSigner}}", "order": 2}]"""));
        return (owner, order);
    }

    /// <summary>What a refusal must leave untouched: the order as its owner sees it, and every ledger row.</summary>
    private async Task<(string Order, int Transfers)> SnapshotAsync(Person owner, long order)
    {
        var view = await owner.OrderAsync(order);
        var ledger = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        return (JsonSerializer.Serialize(new { status = view.Status(), signs = view.GetProperty("signs"), history = view.Actions() }), ledger.Transfers.Count);
    }

    [Fact]
    public async Task a_signatory_whose_token_lacks_the_sign_scope_is_refused_403_and_nothing_is_signed()
    {
        var (owner, order) = await OrderAsync();
        var first = await _kilid.PersonAsync(FirstSigner, Corporate, scopes: AllButSignAndPay);
        var before = await SnapshotAsync(owner, order);

        var refused = await first.SignAsync(order);

        refused.ShouldFail(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Contains(Scopes.KilidRequestSign, refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(owner, order));
    }

    [Fact]
    public async Task a_signatory_whose_token_lacks_the_pay_scope_is_refused_403_on_a_signed_order_and_no_money_moves()
    {
        var (owner, order) = await OrderAsync();
        (await (await _kilid.PersonAsync(FirstSigner, Corporate)).SignAsync(order)).ShouldSucceed();
        (await (await _kilid.PersonAsync(SecondSigner, Corporate)).SignAsync(order)).ShouldSucceed();
        var withoutPay = await _kilid.PersonAsync(FirstSigner, Corporate, scopes: AllButSignAndPay + ",kilid:request:sign");
        var before = await SnapshotAsync(owner, order);

        var refused = await withoutPay.PayAsync(order);

        refused.ShouldFail(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Contains(Scopes.KilidRequestPay, refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(owner, order));
        Assert.Equal("signed", (await owner.OrderAsync(order)).Status());
    }

    [Fact]
    public async Task a_person_who_is_not_on_the_deposit_cannot_sign_or_pay_its_order_by_any_path()
    {
        var (owner, order) = await OrderAsync();
        var outsider = await _kilid.PersonAsync(SmallPerson, Small);
        var before = await SnapshotAsync(owner, order);
        // Their own token on the order's deposit path: the token does not cover the deposit.
        var onCorporate = outsider with { Deposit = Corporate };
        // Their own deposit's path with the other deposit's order number: no such order of theirs.
        var onOwn = outsider;

        (await onCorporate.SignAsync(order)).ShouldFail(HttpStatusCode.Forbidden, "FORBIDDEN");
        (await onCorporate.PayAsync(order)).ShouldFail(HttpStatusCode.Forbidden, "FORBIDDEN");
        (await onOwn.SignAsync(order)).ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        (await onOwn.PayAsync(order)).ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        // Another person's path with their own token: the token was not issued for that person.
        var asFirstSigner = outsider with { Nid = FirstSigner, Deposit = Corporate };
        (await asFirstSigner.SignAsync(order)).ShouldFail(HttpStatusCode.Forbidden, "FORBIDDEN");

        Assert.Equal(before, await SnapshotAsync(owner, order));
    }

    [Fact]
    public async Task a_signatory_who_is_not_next_in_the_ceremony_order_is_refused_and_nothing_is_signed()
    {
        var (owner, order) = await OrderAsync();
        var second = await _kilid.PersonAsync(SecondSigner, Corporate);
        var before = await SnapshotAsync(owner, order);

        (await second.SignAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        // The owner signs for the deposit but is in none of this order's ceremonies.
        (await owner.SignAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        // Nor may anyone pay an order that is not signed.
        (await second.PayAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.Equal(before, await SnapshotAsync(owner, order));
    }
}

public sealed class SignAndPayAuthorizationTests_on_sqlite(PolSqliteGateway gateway)
    : SignAndPayAuthorizationTests(gateway), IClassFixture<PolSqliteGateway>;

public sealed class SignAndPayAuthorizationTests_on_postgres(PolPostgresGateway gateway)
    : SignAndPayAuthorizationTests(gateway), IClassFixture<PolPostgresGateway>;
