using Havale.Api.CallLog;
using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Tests.Storage;

/// <summary>The call log: one row per (client, trackId), replay of the first answer, conflicts for a changed request.</summary>
public abstract class CallLogTests(HavaleFactory gateway) : IAsyncLifetime
{
    private HttpClient _client = null!;

    public async Task InitializeAsync() => _client = await gateway.CreateProbeClientAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private ProbeEndpoints Probe => gateway.Services.GetServices<Havale.Api.Platform.IEndpointModule>().OfType<ProbeEndpoints>().Single();

    private static string NewTrackId() => "call-" + Guid.NewGuid().ToString("N")[..20];

    [Fact]
    public async Task the_same_request_with_the_same_trackId_gets_the_first_answer_and_runs_once()
    {
        var trackId = NewTrackId();
        var uri = $"/probe/v2/clients/havale-demo/pay?trackId={trackId}";
        var first = (await _client.PostEnvelopeAsync(uri, "{\"amount\": 700}")).ShouldSucceed();
        var executionsAfterFirst = Probe.Executions;

        var second = (await _client.PostEnvelopeAsync(uri, "{\"amount\": 700}")).ShouldSucceed();

        Assert.Equal(first.Raw, second.Raw);
        Assert.Equal(executionsAfterFirst, Probe.Executions);
        Assert.Equal("true", second.Response.Headers.GetValues("X-Havale-Replayed").Single());
    }

    /// <summary>
    /// A write whose work and answer are two commits (Kilid's routes) may have done its work before the cut: it is not
    /// run again. instantPayment is answered from the ledger instead (InterruptedPaymentTests).
    /// </summary>
    [Fact]
    public async Task a_write_cut_off_by_a_restart_keeps_its_trackId_and_says_it_was_interrupted()
    {
        var trackId = NewTrackId();
        var uri = $"/probe/v2/clients/havale-demo/pay?trackId={trackId}";
        // The state a killed process leaves behind: admitted, never completed.
        var first = (await _client.PostEnvelopeAsync(uri, "{\"amount\": 700}")).ShouldSucceed();
        await using (var scope = gateway.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
            await db.CallRecords.Where(call => call.TrackId == trackId)
                .ExecuteUpdateAsync(update => update.SetProperty(call => call.State, CallState.InProgress));
        }
        var executions = Probe.Executions;

        var marked = await gateway.Services.MarkInterruptedCallsAsync(CancellationToken.None);
        var retry = await _client.PostEnvelopeAsync(uri, "{\"amount\": 700}");

        Assert.True(marked >= 1);
        retry.ShouldFail(HttpStatusCode.Conflict, "CONFLICT");
        Assert.Contains("interrupted", retry.ErrorMessage);
        Assert.Equal(executions, Probe.Executions);
        Assert.NotEqual(first.Raw, retry.Raw);
    }

    [Fact]
    public async Task a_read_cut_off_by_a_restart_runs_afresh_on_retry_and_then_replays()
    {
        var trackId = NewTrackId();
        var uri = $"/probe/v2/clients/havale-demo/read?trackId={trackId}";
        var first = (await _client.GetEnvelopeAsync(uri)).ShouldSucceed();
        await using (var scope = gateway.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
            await db.CallRecords.Where(call => call.TrackId == trackId)
                .ExecuteUpdateAsync(update => update.SetProperty(call => call.State, CallState.Interrupted));
        }
        var executions = Probe.Executions;

        var retry = (await _client.GetEnvelopeAsync(uri)).ShouldSucceed();
        var again = (await _client.GetEnvelopeAsync(uri)).ShouldSucceed();

        Assert.Equal(executions + 1, Probe.Executions);
        Assert.NotEqual(first.Raw, retry.Raw);
        Assert.False(retry.Response.Headers.Contains("X-Havale-Replayed"));
        Assert.Equal(retry.Raw, again.Raw);
        Assert.Equal(executions + 1, Probe.Executions);
    }

    [Fact]
    public async Task the_same_trackId_with_another_body_is_a_conflict()
    {
        var trackId = NewTrackId();
        var uri = $"/probe/v2/clients/havale-demo/pay?trackId={trackId}";
        (await _client.PostEnvelopeAsync(uri, "{\"amount\": 700}")).ShouldSucceed();

        var answer = await _client.PostEnvelopeAsync(uri, "{\"amount\": 701}");

        answer.ShouldFail(HttpStatusCode.Conflict, "CONFLICT");
        Assert.Equal(trackId, answer.Str("trackId"));
    }

    [Fact]
    public async Task the_same_trackId_on_another_route_is_a_conflict()
    {
        var trackId = NewTrackId();
        (await _client.PostEnvelopeAsync($"/probe/v2/clients/havale-demo/pay?trackId={trackId}", "{\"amount\": 700}")).ShouldSucceed();

        var answer = await _client.GetEnvelopeAsync($"/probe/v2/clients/havale-demo/read?trackId={trackId}");

        answer.ShouldFail(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task trackIds_of_different_clients_never_collide()
    {
        var trackId = NewTrackId();
        var first = (await _client.PostEnvelopeAsync($"/probe/v2/clients/havale-demo/pay?trackId={trackId}", "{\"amount\": 700}")).ShouldSucceed();
        var otherToken = await gateway.CreateJsonClient().ClientCredentialAsync(Havale.Api.Auth.Scopes.InstantPayment,
            Seed.OtherClient, Seed.OtherSecret, Seed.OtherNid);
        var second = (await gateway.WithBearer(otherToken.Value())
            .PostEnvelopeAsync($"/probe/v2/clients/havale-other/pay?trackId={trackId}", "{\"amount\": 700}")).ShouldSucceed();

        Assert.NotEqual(first.Result.GetProperty("executions").GetInt32(), second.Result.GetProperty("executions").GetInt32());
    }

    [Fact]
    public async Task a_failed_calls_outcome_sticks_to_its_trackId()
    {
        var trackId = NewTrackId();
        var uri = $"/probe/v2/clients/havale-demo/pay?trackId={trackId}";
        var first = (await _client.PostEnvelopeAsync(uri, "{\"name\": \"no amount\"}")).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        var executions = Probe.Executions;

        var second = await _client.PostEnvelopeAsync(uri, "{\"name\": \"no amount\"}");

        Assert.Equal(first.Raw, second.Raw);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal(executions, Probe.Executions);
    }

    [Fact]
    public async Task an_internal_error_is_recorded_and_replayed_without_running_again()
    {
        var trackId = NewTrackId();
        var uri = $"/probe/v2/clients/havale-demo/explode?trackId={trackId}";
        var first = (await _client.PostEnvelopeAsync(uri, "{}")).ShouldFail(HttpStatusCode.InternalServerError, "INTERNAL_SERVER_ERROR");
        var executions = Probe.Executions;

        var second = await _client.PostEnvelopeAsync(uri, "{}");

        Assert.Equal(first.Raw, second.Raw);
        Assert.Equal(executions, Probe.Executions);
    }

    [Fact]
    public async Task fifty_identical_calls_at_once_run_the_handler_once_and_all_get_its_answer()
    {
        var trackId = NewTrackId();
        var uri = $"/probe/v2/clients/havale-demo/pay?trackId={trackId}&delayMs=200";
        var executionsBefore = Probe.Executions;

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _client.PostEnvelopeAsync(uri, "{\"amount\": 900}")));

        Assert.Equal(executionsBefore + 1, Probe.Executions);
        Assert.All(answers, answer => Assert.Equal(answers[0].Raw, answer.ShouldSucceed().Raw));
        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
        var records = await db.CallRecords.Where(call => call.TrackId == trackId).ToListAsync();
        var record = Assert.Single(records);
        Assert.Equal(CallState.Completed, record.State);
    }

    [Fact]
    public async Task a_call_is_recorded_with_client_route_and_hashes()
    {
        var trackId = NewTrackId();
        (await _client.PostEnvelopeAsync($"/probe/v2/clients/havale-demo/pay?trackId={trackId}", "{\"amount\": 700}")).ShouldSucceed();

        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
        var record = await db.CallRecords.SingleAsync(call => call.TrackId == trackId);
        Assert.Equal("havale-demo", record.ClientId);
        Assert.Equal("POST", record.Method);
        Assert.Equal("/probe/v2/clients/{clientId}/pay", record.Route);
        Assert.Matches("^[0-9a-f]{64}$", record.RequestSha256);
        Assert.Matches("^[0-9a-f]{64}$", record.ResponseSha256!);
        Assert.Equal(200, record.ResponseStatus);
        Assert.NotNull(record.CompletedUtc);
    }

    [Fact]
    public async Task a_read_without_a_trackId_is_not_recorded()
    {
        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
        var before = await db.CallRecords.CountAsync();

        var answer = (await _client.GetEnvelopeAsync("/probe/v2/clients/havale-demo/read")).ShouldSucceed();

        Assert.False(await db.CallRecords.AnyAsync(call => call.TrackId == answer.Str("trackId")));
        Assert.Equal(before, await db.CallRecords.CountAsync());
    }
}

public sealed class CallLogTests_on_sqlite(SqliteGateway gateway) : CallLogTests(gateway), IClassFixture<SqliteGateway>;

public sealed class CallLogTests_on_postgres(PostgresGateway gateway) : CallLogTests(gateway), IClassFixture<PostgresGateway>;
