using Havale.Api.Features.PaymentOrders;
using Havale.Api.Storage;
using Havale.Api.Tests.PaymentOrders;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;
using GatewayProcess = Havale.Api.Tests.Ledger.CrashRecoveryTests.GatewayProcess;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// Issue #10, item 1, for the Kilid writes, with real processes: the gateway SIGKILLs itself in the moment after a
/// create's or a pay's commit, before the answer leaves (the sandbox's crash drill, Havale:Sandbox:KillAfterCommitOfTrackId).
/// The retry, on the next process, is given the answer of the write that committed: the same order, paid once, not 409.
/// </summary>
public abstract class KilidCrashDrillTests(QuietRailsGateway gateway, ITestOutputHelper output)
{
    private const string Issuer = "--Havale:Auth:Issuer=http://havale.test/";
    private readonly SandboxDriver _sandbox = new(gateway);

    [Fact]
    public async Task a_create_and_a_pay_killed_right_after_their_commit_are_given_their_answer_on_retry()
    {
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(_sandbox.NextFreeDayTehran(), 12, 0, 0));
        var createTrackId = KilidDriver.NewTrackId();
        var payTrackId = KilidDriver.NewTrackId();
        var body = KilidDriver.Body([KilidDriver.Row(31_000, Corporate, description: "پس از ثبت")], DemoPerson);
        var ordersBefore = await OrdersOfDemoAsync();
        string token;
        string requests;
        using (var first = await StartAsync(createTrackId))
        {
            token = (await first.Client.SandboxCodeAsync(AllScopes, [Demo], nid: DemoPerson)).Value();
            using var person = PersonClient(first, token, out requests);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => person.CallAsync(HttpMethod.Post, $"{requests}?trackId={createTrackId}", body));
        }

        long order;
        using (var second = await StartAsync(payTrackId))
        {
            using var person = PersonClient(second, token, out _);
            var created = await person.CallAsync(HttpMethod.Post, $"{requests}?trackId={createTrackId}", body);
            created.ShouldSucceed();
            Assert.Equal("true", created.Response.Headers.GetValues("X-Havale-Replayed").Single());
            order = created.Result.GetProperty("request").GetInt64();
            Assert.Equal(ordersBefore + 1, await OrdersOfDemoAsync());
            (await person.CallAsync(HttpMethod.Post, $"{requests}/{order}/sign?trackId={KilidDriver.NewTrackId()}")).ShouldSucceed();
            var before = await LedgerAudit.ReadAsync(gateway.Services);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => person.CallAsync(HttpMethod.Post, $"{requests}/{order}/pay?trackId={payTrackId}"));
            var killed = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
            Assert.Equal(-31_000, killed.BalanceRials(Demo) - before.BalanceRials(Demo));
        }

        using (var third = await StartAsync(killAfterCommitOf: null))
        {
            using var person = PersonClient(third, token, out _);
            var audit = await LedgerAudit.ReadAsync(gateway.Services);
            var retry = await person.CallAsync(HttpMethod.Post, $"{requests}/{order}/pay?trackId={payTrackId}");
            var view = (await person.GetEnvelopeAsync($"{requests}/{order}")).ShouldSucceed();

            retry.ShouldSucceed();
            Assert.Equal("true", retry.Response.Headers.GetValues("X-Havale-Replayed").Single());
            Assert.Equal(view.Result.GetRawText(), retry.Result.GetRawText());
            // Every row is internal, so the whole order was paid in its commit.
            Assert.Equal("done", retry.Result.Status());
            var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
            Assert.Equal(audit.Transfers.Count, after.Transfers.Count);
            Assert.Equal(ordersBefore + 1, await OrdersOfDemoAsync());
        }
    }

    private Task<GatewayProcess> StartAsync(string? killAfterCommitOf)
        => GatewayProcess.StartAsync(gateway, CrashRecoveryTests.FreeLoopbackPort(), output, 1,
            killAfterCommitOf is null ? [Issuer] : [Issuer, $"--Havale:Sandbox:KillAfterCommitOfTrackId={killAfterCommitOf}"]);

    private static HttpClient PersonClient(GatewayProcess node, string token, out string requests)
    {
        requests = new Person(DemoPerson, Demo, node.Client).Base + "/requests";
        var client = new HttpClient { BaseAddress = node.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<int> OrdersOfDemoAsync()
    {
        await using var db = await gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
        return await db.PaymentOrders.CountAsync(order => order.DepositNumber == Demo);
    }
}

public sealed class KilidCrashDrillTests_on_sqlite(QuietRailsSqliteGateway gateway, ITestOutputHelper output)
    : KilidCrashDrillTests(gateway, output), IClassFixture<QuietRailsSqliteGateway>;

public sealed class KilidCrashDrillTests_on_postgres(QuietRailsPostgresGateway gateway, ITestOutputHelper output)
    : KilidCrashDrillTests(gateway, output), IClassFixture<QuietRailsPostgresGateway>;
