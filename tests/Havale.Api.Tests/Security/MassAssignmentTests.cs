using System.Text.Json.Nodes;
using Havale.Api.CallLog;
using Havale.Api.Storage;
using Havale.Api.Tests.PaymentOrders;
using Havale.Api.Tests.Pol;
using Microsoft.EntityFrameworkCore;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.Security;

/// <summary>
/// OWASP API3:2023 (broken object property level authorization, "mass assignment"): a body that carries fields the
/// caller may not set — a balance, a state, signatures, a signatory list, a node, another source — sets none of
/// them. Bodies bind to request records that have no such members, so the fields are ignored; what the call does is
/// decided by the token, the path and the gateway alone.
/// </summary>
public abstract class MassAssignmentTests(HavaleFactory gateway)
{
    private readonly PolKit _pol = new(gateway);
    private readonly KilidDriver _kilid = new(gateway);

    /// <summary>Fields a caller would like to set, none of which is the caller's to set.</summary>
    private static void AddForgedFields(JsonObject body)
    {
        body["sourceNumber"] = Seed.OtherDeposit;
        body["sourceIban"] = "IR320620000000100200300400";
        body["balance"] = 999_000_000_000L;
        body["balanceRials"] = 999_000_000_000L;
        body["state"] = "DONE";
        body["status"] = "DONE";
        body["maxAmountPerTransaction"] = 999_000_000_000L;
        body["clientId"] = Seed.OtherClient;
        body["nid"] = Seed.OtherNid;
        body["nodeId"] = "forged-node";
        body["node_id"] = "forged-node";
        body["trackId"] = "forged-track-id";
        body["originKey"] = "PLforged";
        body["inquirySequence"] = "1";
    }

    [Fact]
    public async Task forged_fields_in_an_instant_payment_set_no_source_state_balance_node_or_trackId()
    {
        await _pol.StartDayAsync();
        var payer = await _pol.PayerAsync();
        var before = await _pol.SettledLedgerAsync();
        var body = PolSeed.ExampleBody(PolSeed.MellatIban, 10_000);
        AddForgedFields(body);
        var trackId = PolKit.NewTrackId();

        var paid = (await PolKit.PayAsync(payer, body, trackId)).ShouldBePaid();

        Assert.Equal(trackId, paid.Str("trackId"));
        Assert.Equal(PolSeed.SourceDeposit, paid.Str("sourceNumber"));
        Assert.NotEqual("PLforged", paid.Str("originKey"));
        var after = await _pol.SettledLedgerAsync();
        PolKit.ShouldHavePaid(before, after, PolSeed.MellatIban, 10_000);
        Assert.Equal(before.BalanceRials(Seed.OtherDeposit), after.BalanceRials(Seed.OtherDeposit));
        Assert.Equal(before.Transfers.Count(transfer => transfer.TrackId == "forged-track-id"),
            after.Transfers.Count(transfer => transfer.TrackId == "forged-track-id"));
        await using var db = await gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
        var call = await db.CallRecords.SingleAsync(record => record.TrackId == trackId);
        Assert.Equal(Seed.DemoClient, call.ClientId);
        Assert.Equal(gateway.NodeId, call.NodeId);
        Assert.False(await db.CallRecords.AnyAsync(record => record.TrackId == "forged-track-id" || record.NodeId == "forged-node"));
    }

    [Fact]
    public async Task a_forged_limit_in_an_instant_payment_does_not_raise_the_tokens_limit()
    {
        await _pol.StartDayAsync();
        var payer = await _pol.PayerAsync(limitRials: 1_000_000);
        var before = await _pol.SettledLedgerAsync();
        var body = PolSeed.ExampleBody(PolSeed.MellatIban, 1_000_001);
        AddForgedFields(body);

        var refused = await PolKit.PayAsync(payer, body);

        refused.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal(GrantRules.TokenLimitMessage, refused.ErrorMessage);
        var after = await _pol.SettledLedgerAsync();
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
    }

    [Fact]
    public async Task forged_status_signatures_signatories_and_row_states_in_a_kilid_create_set_none_of_them()
    {
        await _pol.StartDayAsync();
        var owner = await _kilid.PersonAsync(Owner, Corporate);
        var first = await _kilid.PersonAsync(FirstSigner, Corporate);
        var before = await LedgerAudit.ReadAsync(gateway.Services);
        var body = JsonNode.Parse(KilidDriver.Body([KilidDriver.Row(20_000, Demo), KilidDriver.Row(30_000, MellatIban, name: "محمود دولت‌آبادی", description: "قبض")], Owner,
            $$"""[{"nid": "{{FirstSigner}}", "order": 1}, {"nid": "{{SecondSigner}}", "order": 2}]"""))!.AsObject();
        AddForgedFields(body);
        body["status"] = "paid";
        body["request"] = 987_654;
        body["id"] = 987_654;
        body["signs"] = new JsonArray(new JsonObject { ["nid"] = FirstSigner }, new JsonObject { ["nid"] = SecondSigner });
        body["signatories"] = new JsonArray(Owner);
        body["requiredSignatures"] = 1;
        body["required_signatures"] = 1;
        body["history"] = new JsonArray(new JsonObject { ["action"] = "pay" });
        foreach (var row in body["destinations"]!.AsArray())
        {
            row!["state"] = "success";
            row["transfer_type"] = "paya";
            row["id"] = 1;
            row["ref_code"] = "forged";
        }

        var created = (await owner.CreateAsync(body.ToJsonString())).ShouldSucceed().Result;

        Assert.Equal("created", created.Status());
        Assert.NotEqual(987_654, created.GetProperty("request").GetInt64());
        Assert.Equal(0, created.GetProperty("signs").GetArrayLength());
        Assert.Equal(["create"], created.Actions());
        Assert.All(created.GetProperty("destinations").EnumerateArray(), row => Assert.Equal("ready", row.State()));
        Assert.Equal("internal", created.Row(0).GetProperty("transfer_type").GetString());
        Assert.All(created.GetProperty("destinations").EnumerateArray(), row => Assert.NotEqual("forged", row.GetProperty("ref_code").GetString()));
        // The deposit still needs two signatures: one leaves the order pending, and it cannot be paid.
        var order = created.GetProperty("request").GetInt64();
        Assert.Equal("pending", (await first.SignAsync(order)).ShouldSucceed().Result.Status());
        (await first.PayAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
    }

    [Fact]
    public async Task forged_status_and_signatures_in_a_kilid_edit_set_none_of_them()
    {
        await _pol.StartDayAsync();
        var owner = await _kilid.PersonAsync(Owner, Corporate);
        var second = await _kilid.PersonAsync(SecondSigner, Corporate);
        var order = await owner.CreatedAsync(KilidDriver.Body([KilidDriver.Row(20_000, Demo)], Owner));
        var before = await LedgerAudit.ReadAsync(gateway.Services);
        var body = JsonNode.Parse(KilidDriver.Body([KilidDriver.Row(25_000, Demo)], Owner))!.AsObject();
        AddForgedFields(body);
        body["status"] = "signed";
        body["signs"] = new JsonArray(new JsonObject { ["nid"] = FirstSigner }, new JsonObject { ["nid"] = SecondSigner });
        body["request"] = order + 1_000;
        body["destinations"]![0]!["state"] = "success";

        var edited = (await owner.EditAsync(order, body.ToJsonString())).ShouldSucceed().Result;

        Assert.Equal(order, edited.GetProperty("request").GetInt64());
        Assert.Equal("created", edited.Status());
        Assert.Equal(0, edited.GetProperty("signs").GetArrayLength());
        Assert.Equal(25_000, edited.Row(0).GetProperty("amount").GetInt64());
        Assert.Equal("ready", edited.Row(0).State());
        Assert.Equal(["create", "edit"], edited.Actions());
        (await second.PayAsync(order)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
    }
}

public sealed class MassAssignmentTests_on_sqlite(PolSqliteGateway gateway) : MassAssignmentTests(gateway), IClassFixture<PolSqliteGateway>;

public sealed class MassAssignmentTests_on_postgres(PolPostgresGateway gateway) : MassAssignmentTests(gateway), IClassFixture<PolPostgresGateway>;
