using Havale.Api.CallLog;
using Havale.Api.Storage;
using Havale.Api.Tests.PaymentOrders;
using Microsoft.EntityFrameworkCore;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// Issue #10, item 1, for the Kilid writes: a write cut off by a gateway's end before any of its commits changed
/// nothing, so a retry with the same trackId runs it afresh instead of being told 409; a write's commit stores its
/// answer with it, so a retry after that commit is given the answer. The cut-off is made in the call log the way a
/// restart leaves it (state Interrupted, no answer); whether the work committed is what the write's own transaction
/// recorded. KilidCrashDrillTests kills a real process in the moment after the commit.
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
    public async Task a_pay_stores_its_answer_with_its_commit_so_a_node_start_leaves_it_and_a_retry_is_given_it()
    {
        await StartDayAtNoonAsync();
        var demo = await _kilid.PersonAsync(DemoPerson, Demo);
        var order = await demo.CreatedAsync(KilidDriver.Body([KilidDriver.Row(22_000, Corporate)], DemoPerson));
        (await demo.SignAsync(order)).ShouldSucceed();
        var trackId = KilidDriver.NewTrackId();
        var paid = (await demo.PayAsync(order, trackId)).ShouldSucceed();
        var call = await CallAsync(trackId);
        Assert.Equal(CallState.Completed, call.State);
        Assert.True(call.IsWorkCommitted);
        Assert.Equal(paid.Raw, System.Text.Encoding.UTF8.GetString(call.ResponseBody!));
        // What a start does to the calls a process's end cut off: a call its commit completed is not one of them.
        await gateway.Services.MarkInterruptedCallsAsync(CancellationToken.None);
        var before = await LedgerAudit.ReadAsync(gateway.Services);

        var retry = await demo.PayAsync(order, trackId);

        Assert.Equal(paid.Raw, retry.Raw);
        Assert.Equal("true", retry.Response.Headers.GetValues("X-Havale-Replayed").Single());
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
    }

    [Fact]
    public async Task a_write_whose_work_committed_without_its_answer_is_not_run_again()
    {
        // Kilid writes store their answer with their commit, so only a cut-off made by hand leaves work without an
        // answer; the call log must still refuse to run such a write twice.
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
