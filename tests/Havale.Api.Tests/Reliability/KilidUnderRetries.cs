using System.Collections.Concurrent;
using Havale.Api.CallLog;
using Havale.Api.Features.PaymentOrders;
using Havale.Api.Ledger;
using Havale.Api.Storage;
using Havale.Api.Tests.PaymentOrders;
using Microsoft.EntityFrameworkCore;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// The Kilid half of a kill run: clients that each create a one-row order from <see cref="Small"/> to
/// <see cref="Corporate"/>, sign it and pay it, every call retried with its trackId until it has an answer. The order's
/// note names the run and the order, and its amount is the order's own, so that after the run every order can be
/// found once and its money once.
/// </summary>
internal sealed class KilidUnderRetries(string run, HttpClient[] persons)
{
    public const int Clients = 2;
    private const int OrdersPerClientMax = 1_000;
    private const long AmountRialsFirst = 200_000;

    private readonly ConcurrentBag<PaidOrder> _paid = [];
    private readonly ConcurrentBag<string> _trackIds = [];

    public int OrdersPaid => _paid.Count;

    /// <summary>The paying person's token, for the clients of <see cref="KilidUnderRetries"/> (one per node).</summary>
    public static async Task<string> TokenAsync(HttpClient node)
        => (await node.SandboxCodeAsync(AllScopes, [Small], Seed.DemoAmountRialsMax, nid: SmallPerson)).Value();

    /// <summary>One client's orders, one after another, until <paramref name="loadOn"/> says stop or the time is out.</summary>
    public async Task RunClientAsync(RetriedCalls calls, int client, Func<bool> loadOn)
    {
        var retrying = calls.ClientOn(client % calls.NodeCount);
        var requests = $"/keylead/v2/clients/{Seed.DemoClient}/users/{SmallPerson}/deposits/{Small}/requests";
        for (var n = 0; n < OrdersPerClientMax && loadOn(); n++)
        {
            var i = client * OrdersPerClientMax + n;
            var amountRials = AmountRialsFirst + i;
            var body = KilidDriver.Body([KilidDriver.Row(amountRials, Corporate, description: "زیر بار")], SmallPerson, note: $"kill-{run}-{i}");
            var created = await AnsweredAsync(retrying, requests, TrackId(i, "c"), body);
            var order = created.Result.GetProperty("request").GetInt64();
            await AnsweredAsync(retrying, $"{requests}/{order}/sign", TrackId(i, "s"), null);
            var payTrackId = TrackId(i, "p");
            var paid = await AnsweredAsync(retrying, $"{requests}/{order}/pay", payTrackId, null);
            Assert.True(paid.Result.Status() == "done", $"order {order} was answered {paid.Raw}");
            _paid.Add(new PaidOrder(order, amountRials, payTrackId, paid.Result.GetRawText()));
        }
    }

    /// <summary>
    /// Each order answered paid was created once and paid once: one order with its note, one transfer of its amount
    /// from the payer since the run began, named by its row; its view is the pay's answer; every call of the run was
    /// completed.
    /// </summary>
    public async Task CheckAsync(HavaleFactory gateway, LedgerAudit audit, long lastTransferIdBefore)
    {
        await using var db = await gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
        var orders = await db.PaymentOrders.AsNoTracking().Where(order => order.Note != null && order.Note.StartsWith($"kill-{run}-")).ToListAsync();
        Assert.Equal(_paid.Count, orders.Count);
        var orderIds = orders.Select(order => order.Id).ToList();
        var rows = await db.OrderDestinations.AsNoTracking().Where(row => orderIds.Contains(row.OrderId)).ToListAsync();
        var payer = audit.Account(Small).Id;
        foreach (var paid in _paid)
        {
            var order = Assert.Single(orders, order => order.Id == paid.Id);
            Assert.Equal(paid.PayTrackId, order.PayTrackId);
            var row = Assert.Single(rows, row => row.OrderId == paid.Id);
            var moved = audit.Transfers.Where(transfer => transfer.Id > lastTransferIdBefore && transfer.DebitAccountId == payer && transfer.AmountRials == paid.AmountRials).ToList();
            var transfer = Assert.Single(moved);
            Assert.Equal(transfer.Id, row.LedgerTransferId);
            var view = (await persons[0].GetEnvelopeAsync($"/keylead/v2/clients/{Seed.DemoClient}/users/{SmallPerson}/deposits/{Small}/requests/{paid.Id}"))
                .ShouldSucceed();
            Assert.Equal(paid.Answer, view.Result.GetRawText());
        }
        var trackIds = _trackIds.ToHashSet();
        var calls = await db.CallRecords.AsNoTracking().Where(call => call.TrackId.StartsWith($"kk-{run}-")).ToListAsync();
        Assert.Equal(trackIds.Count, calls.Count(call => trackIds.Contains(call.TrackId)));
        Assert.All(calls.Where(call => trackIds.Contains(call.TrackId)), call => Assert.Equal(CallState.Completed, call.State));
    }

    /// <summary>A POST to <paramref name="path"/> with <paramref name="trackId"/>, retried until answered; the answer must be 200.</summary>
    private async Task<Answer> AnsweredAsync(RetriedCalls.Client retrying, string path, string trackId, string? body)
    {
        _trackIds.Add(trackId);
        var uri = $"{path}?trackId={trackId}";
        var answer = await retrying.UntilAnsweredAsync(node => persons[node].CallAsync(HttpMethod.Post, uri, body));
        Assert.True(answer is not null, $"POST {uri} had no answer within the run's time");
        Assert.True(answer.Status == HttpStatusCode.OK, $"POST {uri} was answered {(int)answer.Status}: {answer.Raw}");
        return answer;
    }

    private string TrackId(int i, string step) => $"kk-{run}-{i}-{step}";

    private sealed record PaidOrder(long Id, long AmountRials, string PayTrackId, string Answer);
}
