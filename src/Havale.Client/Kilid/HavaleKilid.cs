using System.Globalization;
using System.Text;

namespace Havale.Client;

/// <summary>
/// Keylead: Kilid payment orders on one deposit, for one person (spec §4), with one credential. Every call that
/// changes an order takes a trackId (or makes one): a repeat with the same trackId is answered from the gateway's
/// call log and changes nothing twice, which is what makes the retries safe.
/// </summary>
public sealed class HavaleKilid
{
    private readonly HavaleTokens _tokens;
    private readonly HavaleCredential _credential;
    private readonly string _clientPath;
    private readonly string _nid;
    private readonly string _deposit;

    internal HavaleKilid(HavaleTokens tokens, HavaleCredential credential, HavaleClientOptions options, string nid, string deposit)
    {
        _tokens = tokens;
        _credential = credential;
        _clientPath = $"/keylead/v2/clients/{Uri.EscapeDataString(options.ClientId)}";
        _nid = Uri.EscapeDataString(nid);
        _deposit = Uri.EscapeDataString(deposit);
    }

    private string DepositPath => $"{_clientPath}/users/{_nid}/deposits/{_deposit}";

    /// <summary>Creates an order (the seed's service). A refusal throws with <see cref="HavaleApiException.KilidRefusal"/> set.</summary>
    public Task<PaymentOrder> CreateOrderAsync(OrderDraft draft, string? trackId = null, CancellationToken cancellationToken = default)
        => ResultAsync<PaymentOrder>(HttpMethod.Post, $"{DepositPath}/requests", trackId, "", draft, cancellationToken);

    /// <summary>The deposit's orders, newest first; an empty list when none match.</summary>
    public Task<IReadOnlyList<PaymentOrder>> ListOrdersAsync(OrderQuery? query = null, string? trackId = null, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        Append(text, "year", query?.JalaliYear);
        Append(text, "month", query?.JalaliMonth);
        Append(text, "limit", query?.Limit);
        Append(text, "offset", query?.Offset);
        Append(text, "search", query?.Search);
        Append(text, "nationalCode", query?.NationalCode);
        return ResultAsync<IReadOnlyList<PaymentOrder>>(HttpMethod.Get, $"{DepositPath}/requests", trackId, text.ToString(), null, cancellationToken);
    }

    public Task<PaymentOrder> GetOrderAsync(long orderId, string? nationalCode = null, string? trackId = null, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        Append(text, "nationalCode", nationalCode);
        return ResultAsync<PaymentOrder>(HttpMethod.Get, OrderPath(orderId), trackId, text.ToString(), null, cancellationToken);
    }

    /// <summary>Changes an order while nobody has signed it; what the draft leaves null stays.</summary>
    public Task<PaymentOrder> EditOrderAsync(long orderId, OrderDraft draft, string? trackId = null, CancellationToken cancellationToken = default)
        => ResultAsync<PaymentOrder>(HttpMethod.Patch, OrderPath(orderId), trackId, "", draft, cancellationToken);

    /// <summary>Deletes an order while nobody has signed it; <paramref name="note"/> (at most 100 characters) says why.</summary>
    public Task<DeletedOrder> DeleteOrderAsync(long orderId, string nationalCode, string note, string? trackId = null,
        CancellationToken cancellationToken = default)
        => ResultAsync<DeletedOrder>(HttpMethod.Delete, OrderPath(orderId), trackId, "", new DeleteOrderBody(nationalCode, note), cancellationToken);

    /// <summary>The credential's person signs the order (their own authorization-code token).</summary>
    public Task<PaymentOrder> SignAsync(long orderId, string? trackId = null, CancellationToken cancellationToken = default)
        => ResultAsync<PaymentOrder>(HttpMethod.Post, OrderPath(orderId) + "/sign", trackId, "", null, cancellationToken);

    /// <summary>The credential's person withdraws their signature before the order is paid.</summary>
    public Task<PaymentOrder> UnsignAsync(long orderId, string? trackId = null, CancellationToken cancellationToken = default)
        => ResultAsync<PaymentOrder>(HttpMethod.Post, OrderPath(orderId) + "/unsign", trackId, "", null, cancellationToken);

    /// <summary>
    /// A signatory pays a signed order: all its rows or none. Internal rows are done at once, Paya rows wait for
    /// their cycle (the order is <see cref="OrderStatus.InProgress"/> until they settle). Sent again with the same
    /// trackId after a lost answer, it is answered from the call log and pays nothing twice.
    /// </summary>
    public Task<PaymentOrder> PayAsync(long orderId, string? trackId = null, CancellationToken cancellationToken = default)
        => ResultAsync<PaymentOrder>(HttpMethod.Post, OrderPath(orderId) + "/pay", trackId, "", null, cancellationToken);

    /// <summary>The deposit's posted lines, oldest first, each with the balance after it (Havale's design).</summary>
    public async Task<IReadOnlyList<StatementEntry>> StatementAsync(StatementQuery? query = null, string? trackId = null,
        CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        Append(text, "fromDate", query?.FromTehranDay is { } from ? JalaliDay(from) : null);
        Append(text, "toDate", query?.ToTehranDay is { } to ? JalaliDay(to) : null);
        Append(text, "limit", query?.Limit);
        Append(text, "offset", query?.Offset);
        var statement = await ResultAsync<StatementWire>(HttpMethod.Get, $"{DepositPath}/statement", trackId, text.ToString(), null, cancellationToken)
            .ConfigureAwait(false);
        return statement.Entries ?? [];
    }

    /// <summary>The active deposits the person may act on; with <paramref name="nationalCode"/>, only those that person shares.</summary>
    public async Task<IReadOnlyList<ActiveDeposit>> ActiveDepositsAsync(string? nationalCode = null, string? trackId = null,
        CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        Append(text, "nationalCode", nationalCode);
        var deposits = await ResultAsync<ActiveDepositsWire>(HttpMethod.Get, $"{_clientPath}/users/{_nid}/deposits", trackId, text.ToString(), null,
            cancellationToken).ConfigureAwait(false);
        return deposits.Deposits ?? [];
    }

    /// <summary>The person's first and last name (flat answer, as spec §4 gives it).</summary>
    public async Task<KilidCustomer> CustomerAsync(string? trackId = null, CancellationToken cancellationToken = default)
    {
        var id = TrackIds.OrNew(trackId);
        var answer = await _tokens.SendAsync(_credential, new HavaleRequest(HttpMethod.Get, $"{_clientPath}/{_nid}/info?trackId={id}", TrackId: id),
            cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? answer.Flat<KilidCustomer>() : throw answer.Error();
    }

    private string OrderPath(long orderId) => $"{DepositPath}/requests/{orderId.ToString(CultureInfo.InvariantCulture)}";

    private async Task<T> ResultAsync<T>(HttpMethod method, string path, string? trackId, string query, object? body, CancellationToken cancellationToken)
    {
        var id = TrackIds.OrNew(trackId);
        var answer = await _tokens.SendAsync(_credential, new HavaleRequest(method, $"{path}?trackId={id}{query}", body, id), cancellationToken)
            .ConfigureAwait(false);
        return answer.IsSuccess ? answer.Result<T>() : throw answer.Error();
    }

    private static void Append(StringBuilder query, string name, object? value)
    {
        if (value is null)
        {
            return;
        }
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(text));
    }

    private static string JalaliDay(DateOnly tehranDay)
        => JalaliDateTime.Format(TehranZone.FromTehranWallClock(tehranDay.ToDateTime(new TimeOnly(12, 0))), dayOnly: true);
}
