using System.Net;
using Havale.Api.CallLog;
using Havale.Api.Storage;
using Havale.Api.Tests.Infrastructure;
using Havale.Api.Tests.Ledger;
using Havale.Api.Tests.PaymentOrders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// Issue #10, item 1, for the Kilid writes: a write cut off by a gateway's end before any of its commits changed
/// nothing, so a retry with the same trackId runs it afresh instead of being told 409; one cut off after its commit
/// (in the moment before its answer was stored) is still told 409, never run twice. The cut-off is made in the call
/// log the way a restart leaves it (state Interrupted, no answer); whether the work committed is what the write's own
/// transaction recorded.
/// </summary>
public abstract class InterruptedKilidWriteTests(HavaleFactory gateway)
{
    private readonly KilidDriver _kilid = new(gateway);

    [Fact]
    public async Task a_pay_cut_off_before_its_commit_runs_afresh_on_retry_and_pays_once()
    {
        await StartDayAtNoonAsync();
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var order = await demo.CreatedAsync(KilidDriver.Body([KilidDriver.Row(21_000, Corporate)], DemoPerson));
        var trackId = KilidDriver.NewTrackId();
        // Refused (the order is not signed yet): the call ran, committed nothing and was answered.
        (await demo.PayAsync(order, trackId)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.False((await CallAsync(trackId)).IsWorkCommitted);
        (await demo.SignAsync(order)).ShouldSucceed();
        await CutOffAsync(trackId);
        var before = await LedgerAudit.ReadAsync(gateway.Services);

        var retry = await demo.PayAsync(order, trackId);
        var again = await demo.PayAsync(order, trackId);

        retry.ShouldSucceed();
        Assert.Equal(retry.Raw, again.Raw);
        var call = await CallAsync(trackId);
        Assert.Equal(CallState.Completed, call.State);
        Assert.True(call.IsWorkCommitted);
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(-21_000, after.BalanceRials(Demo) - before.BalanceRials(Demo));
    }

    [Fact]
    public async Task a_pay_cut_off_after_its_commit_is_not_run_again()
    {
        await StartDayAtNoonAsync();
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var order = await demo.CreatedAsync(KilidDriver.Body([KilidDriver.Row(22_000, Corporate)], DemoPerson));
        (await demo.SignAsync(order)).ShouldSucceed();
        var trackId = KilidDriver.NewTrackId();
        (await demo.PayAsync(order, trackId)).ShouldSucceed();
        Assert.True((await CallAsync(trackId)).IsWorkCommitted);
        await CutOffAsync(trackId);
        var before = await LedgerAudit.ReadAsync(gateway.Services);

        var retry = await demo.PayAsync(order, trackId);

        retry.ShouldFail(HttpStatusCode.Conflict, "CONFLICT");
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(before.BalanceRials(Demo), after.BalanceRials(Demo));
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
    }

    [Fact]
    public async Task a_create_cut_off_after_its_commit_is_not_run_again_and_leaves_one_order()
    {
        await StartDayAtNoonAsync();
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var trackId = KilidDriver.NewTrackId();
        var body = KilidDriver.Body([KilidDriver.Row(23_000, Corporate, description: "یک بار")], DemoPerson);
        (await demo.CreateAsync(body, trackId)).ShouldSucceed();
        await CutOffAsync(trackId);
        var ordersBefore = (await demo.ListAsync("limit=20")).ShouldSucceed().Result.GetRawText();

        (await demo.CreateAsync(body, trackId)).ShouldFail(HttpStatusCode.Conflict, "CONFLICT");

        Assert.Equal(ordersBefore, (await demo.ListAsync("limit=20")).ShouldSucceed().Result.GetRawText());
    }

    private async Task StartDayAtNoonAsync()
        => await _kilid.Sandbox.MoveClockToAsync(SandboxDriver.Tehran(_kilid.Sandbox.NextFreeDayTehran(), 12, 0, 0));

    private async Task<CallRecord> CallAsync(string trackId)
    {
        await using var db = await gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
        return await db.CallRecords.AsNoTracking().SingleAsync(call => call.TrackId == trackId);
    }

    private Task CutOffAsync(string trackId) => CrashLeftovers.LeaveCallInterruptedAsync(gateway.Services, trackId);
}

public sealed class InterruptedKilidWriteTests_on_sqlite(SqliteGateway gateway) : InterruptedKilidWriteTests(gateway), IClassFixture<SqliteGateway>;

public sealed class InterruptedKilidWriteTests_on_postgres(PostgresGateway gateway) : InterruptedKilidWriteTests(gateway), IClassFixture<PostgresGateway>;
