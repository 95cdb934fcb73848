// Against a running sandbox (dotnet run --project src/Havale.Api): gets tokens, pays by Pol and inquires, then has
// Ali create a payment order, Sara and Narges sign it, Sara pay it, moves the sandbox clock past the Paya cycle and
// prints the order done. Usage: dotnet run --project samples/Havale.Client.Sample [-- http://127.0.0.1:5080]
using Havale.Client;
using Microsoft.Extensions.DependencyInjection;

var baseAddress = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5080");
var services = new ServiceCollection();
services.AddHavaleClient(options =>
{
    options.BaseAddress = baseAddress;
    // The sandbox's demo client; never put a real secret in code.
    options.ClientId = "havale-demo";
    options.ClientSecret = "havale-demo-secret";
    options.NationalCode = "0012345679";
});
await using var provider = services.BuildServiceProvider();
var havale = provider.GetRequiredService<HavaleClient>();
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
var cancellationToken = stop.Token;

// The sandbox clock only moves forward: take the next Tehran day at 10:00, when Pol is open, before the 10:45 Paya cycle.
var tehranOffset = TimeSpan.FromMinutes(210);
var clock = await havale.Sandbox.ClockAsync(cancellationToken);
var today = DateOnly.FromDateTime(clock.NowUtc.ToOffset(tehranOffset).DateTime).AddDays(1);
DateTimeOffset TehranAt(int hour, int minute) => new(today.Year, today.Month, today.Day, hour, minute, 0, tehranOffset);
await havale.Sandbox.SetClockAsync(TehranAt(10, 0), cancellationToken);
Console.WriteLine($"sandbox clock: {TehranAt(10, 0):yyyy-MM-dd HH:mm} Tehran");

// Pol: مریم احمدی pays a Mellat IBAN from her deposit.
const string mellatIban = "IR370120000000003141592653";
await havale.Sandbox.ConsentAsync("maryam", new SandboxConsent
{
    NationalCode = "0012345679",
    Deposits = ["0302876732315"],
    Scopes = ["oak:instant-payment:post", "oak:pol-inquiry:get", "oak:transaction-inquiry:get"],
    LimitRials = 50_000_000,
}, cancellationToken);
var pol = havale.Pol(HavaleCredential.Stored("maryam"));
var lookup = await pol.PolInquiryAsync(mellatIban, 10_000_000, cancellationToken: cancellationToken);
Console.WriteLine($"polInquiry: {lookup.DestinationFirstname} {lookup.DestinationLastname} at {lookup.BankName}, possible: {lookup.IsPossible}");
var payment = await pol.PayAsync(new PolPayment
{
    AmountRials = 10_000_000,
    Description = "کتاب سلوک",
    ReasonDescription = "19",
    DestinationFirstname = "محمود",
    DestinationLastname = "دولت آبادی",
    DestinationNumber = mellatIban,
}, cancellationToken: cancellationToken);
Console.WriteLine($"instantPayment {payment.TrackId}: {payment.Outcome}, originKey {payment.OriginKey}");
var inquiry = await pol.TransactionInquiryAsync(payment.TrackId, cancellationToken: cancellationToken);
Console.WriteLine($"transactionInquiry: {inquiry.State}, {inquiry.AmountRials:N0} rials");

// Kilid: علی رضایی's deposit needs two of its three signatories.
const string corporate = "0201648361007";
string[] kilidScopes = ["kilid:request:create", "kilid:request:get", "kilid:request:sign", "kilid:request:pay"];
async Task<HavaleKilid> PersonAsync(string nid)
{
    await havale.Sandbox.ConsentAsync(nid, new SandboxConsent { NationalCode = nid, Deposits = [corporate], Scopes = kilidScopes, LimitRials = 100_000_000 },
        cancellationToken);
    return havale.Kilid(HavaleCredential.Stored(nid), nid, corporate);
}
var ali = await PersonAsync("0023456787");
var sara = await PersonAsync("0123456789");
var narges = await PersonAsync("4400000011");
var order = await ali.CreateOrderAsync(new OrderDraft
{
    NationalCode = "0023456787",
    Note = "پرداخت آذرماه",
    Destinations =
    [
        new OrderDestination { AmountRials = 12_000_000, Number = "0302876732315", Description = "حقوق آذر", ReferenceCode = "548201" },
        new OrderDestination
        {
            AmountRials = 25_000_000, Number = "IR060180000000003141614643", Name = "منیرو روانی‌پور", Description = "پرداخت قبض", ReferenceCode = "100023",
        },
    ],
}, cancellationToken: cancellationToken);
Console.WriteLine($"order {order.Id}: {order.Status}, {order.TotalRials:N0} rials in {order.Destinations.Count} rows");
Console.WriteLine($"Sara signs: {(await sara.SignAsync(order.Id, cancellationToken: cancellationToken)).Status}");
Console.WriteLine($"Narges signs: {(await narges.SignAsync(order.Id, cancellationToken: cancellationToken)).Status}");
var paid = await sara.PayAsync(order.Id, cancellationToken: cancellationToken);
Console.WriteLine($"Sara pays: {paid.Status}; rows {string.Join(", ", paid.Destinations.Select(row => $"{row.TransferType} {row.State}"))}");

await havale.Sandbox.SetClockAsync(TehranAt(10, 45), cancellationToken);
var done = await sara.GetOrderAsync(order.Id, cancellationToken: cancellationToken);
Console.WriteLine($"after the 10:45 Paya cycle: {done.Status}; rows {string.Join(", ", done.Destinations.Select(row => $"{row.TransferType} {row.State}"))}");
Console.WriteLine($"history: {string.Join(", ", done.History.Select(entry => entry.Action))}");
Console.WriteLine($"ledger sum: {(await havale.Sandbox.LedgerAsync(cancellationToken)).SumRials} rials");
return done.Status == OrderStatus.Done && payment.Outcome == PolOutcome.Paid ? 0 : 1;
