using System.Diagnostics;
using Havale.Api.Ledger;
using Havale.Api.Rails;
using Havale.Api.Rails.Pol;
using Havale.Api.Storage;
using Havale.Api.Tests.Pol;
using Havale.Domain;
using Npgsql;

namespace Havale.Api.Tests.Storage;

/// <summary>
/// The PostgreSQL durability barrier that pipelined Pol commits wait on: concurrent waiters share flushes, each waiter
/// is released by a flush that began after it asked, and a database that is away fails the waiters instead of
/// hanging them.
/// </summary>
public sealed class DurabilityBarrierTests(PipelinedPostgresGateway gateway) : IClassFixture<PipelinedPostgresGateway>
{
    [Fact]
    public async Task many_waiters_at_once_share_few_flushes_and_each_is_released()
    {
        var barrier = gateway.Services.GetRequiredService<DurabilityBarrier>();
        var before = barrier.Flushes;
        using var start = new SemaphoreSlim(0);
        var waiters = Enumerable.Range(0, 200).Select(async _ =>
        {
            await start.WaitAsync();
            var flushesSeen = barrier.Flushes;
            await barrier.WaitAsync();
            // Released by a flush that had not finished when this waiter asked: at least one more than it saw.
            Assert.True(barrier.Flushes > flushesSeen, "a waiter was released by a flush that finished before it asked");
        }).ToList();
        start.Release(waiters.Count);
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));
        var flushes = barrier.Flushes - before;
        Assert.InRange(flushes, 1, 199);
    }

    [Fact]
    public async Task a_pol_payment_on_postgres_waits_for_a_barrier_after_each_of_its_two_batches()
    {
        var barrier = gateway.Services.GetRequiredService<DurabilityBarrier>();
        var writer = gateway.Services.GetRequiredService<PolWriter>();
        await new PolKit(gateway).StartDayAsync();
        var (flushesBefore, batchesBefore) = (barrier.Flushes, writer.BatchesApplied);
        var origin = new TransferOrigin(RailKind.Pol, Seed.DemoClient, PolSeed.EmptyNid, "barrier-" + Guid.NewGuid().ToString("N")[..12]);
        var result = await gateway.Services.GetRequiredService<PaymentRails>().PayByPolAsync(DepositNumber.Parse(PolSeed.EmptyDeposit),
            Iban.Parse(PolSeed.ActivePolIbans[0]), Rials.FromTrusted(250_000), origin, CancellationToken.None);
        Assert.Equal(RailOutcome.Done, result.Outcome);
        Assert.Equal(2, writer.BatchesApplied - batchesBefore);
        Assert.True(barrier.Flushes - flushesBefore >= 2, $"{barrier.Flushes - flushesBefore} barriers for the payment's two batches");
    }

    [Fact]
    public async Task a_barrier_on_a_database_that_is_away_fails_its_waiters_within_the_connect_timeout()
    {
        // Nothing listens on this port: the flush cannot connect, and the waiter hears so instead of waiting for ever.
        var port = Havale.Api.Tests.Ledger.CrashRecoveryTests.FreeLoopbackPort();
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={port};Username=postgres;Password=x;Timeout=2");
        await using var barrier = new DurabilityBarrier(dataSource);
        var timer = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() => barrier.WaitAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"the waiter failed after {timer.Elapsed.TotalSeconds:F1} s");
        // The loop goes on: a later waiter gets an answer too.
        await Assert.ThrowsAnyAsync<Exception>(() => barrier.WaitAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }
}

/// <summary>A PostgreSQL gateway with pipelined Pol commits on (they are off by default), three batches in flight.</summary>
public sealed class PipelinedPostgresGateway : FortyPaymentsGateway
{
    public PipelinedPostgresGateway() : base(TestDatabase.Postgres)
    {
        Settings["Havale:Rails:PolPipelinedCommits"] = "true";
        Settings["Havale:Rails:PolBatchesInFlight"] = "3";
    }
}

/// <summary>The batch rules hold with pipelined commits too: each payment its own answer, the ledger exact.</summary>
public sealed class PolBatchTests_on_postgres_pipelined(PipelinedPostgresGateway gateway) : PolBatchTests(gateway), IClassFixture<PipelinedPostgresGateway>;
