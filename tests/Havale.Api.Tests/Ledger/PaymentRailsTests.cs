using Havale.Api.Ledger;
using Havale.Api.Rails;
using Havale.Domain;

namespace Havale.Api.Tests.Ledger;

/// <summary>
/// Internal, Pol and Paya payments through PaymentRails against the simulated banks, with the sandbox clock and bank
/// behaviours set over HTTP as a developer would. Each test takes a day of its own and a bank of its own, and ends by
/// checking that the ledger balances and what moved where.
/// </summary>
public abstract class PaymentRailsTests(QuietRailsGateway gateway)
{
    private const string SourceDeposit = "0302876732315";
    private const string OtherDeposit = "0201648361007";
    private const string MellatIban = "IR370120000000003141592653";
    private const string ShahrIban = "IR440610000000003141592761";
    private const string ResalatIban = "IR780700000000003141593063";
    private const string SamanIban = "IR900560000000003141594249";
    private const string KhavarmianehIban = "IR740780000000003141595133";
    private const string MelliIban = "IR340170000000003141596211";
    private const string PasargadIban = "IR980570000000003141597483";
    private const string EghtesadNovinIban = "IR400550000000003141598949";
    private const string RefahIban = "IR090130000000003141600609";
    private const string KeshavarziBlockedIban = "IR750160000000003141604511";
    private const string GardeshgariDormantIban = "IR560640000000003141606753";
    private const string TejaratIban = "IR060180000000003141614643";
    private static readonly TransferOrigin Origin = new(RailKind.Internal, ClientId: "havale-demo", Nid: "0012345679", TrackId: "rails-test");

    private readonly SandboxDriver _sandbox = new(gateway);
    private readonly LedgerKit _kit = new(gateway.Services);
    private readonly PaymentRails _rails = gateway.Services.GetRequiredService<PaymentRails>();

    private Task<RailResult> PayByPolAsync(string iban, long amountRials)
        => _rails.PayByPolAsync(DepositNumber.Parse(SourceDeposit), Iban.Parse(iban), Rials.FromTrusted(amountRials), Origin, CancellationToken.None);

    private async Task<RailResult> HoldForPayaAsync(string iban, long amountRials)
    {
        await using var db = await _kit.NewDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await _rails.HoldForPayaAsync(db, DepositNumber.Parse(SourceDeposit), Iban.Parse(iban), Rials.FromTrusted(amountRials), Origin,
            CancellationToken.None);
        if (result.Outcome == RailOutcome.Done)
        {
            await transaction.CommitAsync();
        }
        return result;
    }

    private async Task<RailResult> TransferInternalAsync(long amountRials)
    {
        await using var db = await _kit.NewDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await _rails.TransferInternalAsync(db, DepositNumber.Parse(SourceDeposit), DepositNumber.Parse(OtherDeposit),
            Rials.FromTrusted(amountRials), Origin, CancellationToken.None);
        await transaction.CommitAsync();
        return result;
    }

    private async Task<DateOnly> StartDayAtNoonAsync()
    {
        var day = _sandbox.NextFreeDayTehran();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 12, 0, 0));
        return day;
    }

    /// <summary>How a payment changed the source deposit, its rail's clearing account and the destination bank.</summary>
    private static void ShouldHaveMoved(LedgerAudit before, LedgerAudit after, long sourceRials, string bankCode, long bankRials, string clearing)
    {
        Assert.Equal(sourceRials, after.BalanceRials(SourceDeposit) - before.BalanceRials(SourceDeposit));
        Assert.Equal(bankRials, after.BalanceRials(LedgerAccountCodes.Bank(bankCode)) - before.BalanceRials(LedgerAccountCodes.Bank(bankCode)));
        Assert.Equal(before.BalanceRials(clearing), after.BalanceRials(clearing));
        Assert.Equal(before.PendingRials(SourceDeposit), after.PendingRials(SourceDeposit));
    }

    private static LedgerTransfer ResolutionOf(LedgerAudit audit, long holdId)
        => audit.Transfers.Single(transfer => transfer.PendingId == holdId);

    private async Task<LedgerAudit> BalancedLedgerAsync() => (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();

    [Fact]
    public async Task a_pol_payment_to_a_bank_that_accepts_is_posted_and_settled_to_that_bank()
    {
        await StartDayAtNoonAsync();
        var before = await BalancedLedgerAsync();

        var result = await PayByPolAsync(MellatIban, 1_250_000);

        Assert.Equal(RailOutcome.Done, result.Outcome);
        Assert.StartsWith("PL", result.Reference, StringComparison.Ordinal);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, -1_250_000, "012", 1_250_000, LedgerAccountCodes.Clearing(RailKind.Pol));
        Assert.Equal(TransferKind.PostPending, ResolutionOf(after, result.TransferId!.Value).Kind);
        Assert.Equal(0, (await _sandbox.LedgerAsync()).GetProperty("sumRials").GetInt64());
    }

    [Fact]
    public async Task a_pol_payment_to_a_bank_that_rejects_is_voided_with_its_reason_and_moves_nothing()
    {
        await StartDayAtNoonAsync();
        await _sandbox.SetBankAsync("061", "reject");
        var before = await BalancedLedgerAsync();

        var result = await PayByPolAsync(ShahrIban, 40_000);
        await _sandbox.SetBankAsync("061", "normal");

        Assert.Equal(RailOutcome.Rejected, result.Outcome);
        Assert.Equal("destination bank rejected the payment", result.Reason);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, 0, "061", 0, LedgerAccountCodes.Clearing(RailKind.Pol));
        var voided = ResolutionOf(after, result.TransferId!.Value);
        Assert.Equal(TransferKind.VoidPending, voided.Kind);
        Assert.Equal(result.Reason, voided.Note);
    }

    [Fact]
    public async Task a_pol_payment_to_a_bank_that_is_down_is_unavailable_and_voided()
    {
        await StartDayAtNoonAsync();
        await _sandbox.SetBankAsync("070", "down");
        var before = await BalancedLedgerAsync();

        var result = await PayByPolAsync(ResalatIban, 40_000);
        await _sandbox.SetBankAsync("070", "normal");

        Assert.Equal(RailOutcome.Unavailable, result.Outcome);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, 0, "070", 0, LedgerAccountCodes.Clearing(RailKind.Pol));
        Assert.Equal(TransferKind.VoidPending, ResolutionOf(after, result.TransferId!.Value).Kind);
    }

    [Fact]
    public async Task a_pol_payment_without_an_answer_stays_held_until_the_bank_answers_again()
    {
        await StartDayAtNoonAsync();
        await _sandbox.SetBankAsync("056", "timeout");
        var before = await BalancedLedgerAsync();
        var pendingBefore = SandboxDriver.AccountIn(await _sandbox.LedgerAsync(), SourceDeposit).GetProperty("pendingRials").GetInt64();

        var result = await PayByPolAsync(SamanIban, 333_000);
        var askedWhileSilent = await _rails.ResolveDueAsync(CancellationToken.None);
        var whileUnknown = SandboxDriver.AccountIn(await _sandbox.LedgerAsync(), SourceDeposit);
        var stillHeld = (await BalancedLedgerAsync()).OpenHolds.Any(hold => hold.Id == result.TransferId);
        await _sandbox.SetBankAsync("056", "normal");

        Assert.Equal(RailOutcome.Unknown, result.Outcome);
        Assert.Equal(0, askedWhileSilent);
        Assert.True(stillHeld);
        Assert.Equal(pendingBefore + 333_000, whileUnknown.GetProperty("pendingRials").GetInt64());
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, -333_000, "056", 333_000, LedgerAccountCodes.Clearing(RailKind.Pol));
        Assert.Equal(TransferKind.PostPending, ResolutionOf(after, result.TransferId!.Value).Kind);
    }

    [Theory]
    [InlineData(KeshavarziBlockedIban, "016", "destination account is blocked")]
    [InlineData(GardeshgariDormantIban, "064", "destination account is dormant")]
    public async Task a_pol_payment_to_a_blocked_or_dormant_account_is_rejected(string iban, string bankCode, string reason)
    {
        await StartDayAtNoonAsync();
        var before = await BalancedLedgerAsync();

        var result = await PayByPolAsync(iban, 10_000);

        Assert.Equal(RailOutcome.Rejected, result.Outcome);
        Assert.Equal(reason, result.Reason);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, 0, bankCode, 0, LedgerAccountCodes.Clearing(RailKind.Pol));
    }

    [Fact]
    public async Task a_pol_payment_to_a_bank_outside_pol_is_refused_before_anything_is_held()
    {
        await StartDayAtNoonAsync();
        var before = await BalancedLedgerAsync();

        var result = await PayByPolAsync(TejaratIban, 10_000);

        Assert.Equal(RailOutcome.BankNotOnRail, result.Outcome);
        var after = await BalancedLedgerAsync();
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
    }

    [Fact]
    public async Task a_pol_payment_is_refused_at_four_twenty_nine_fifty_nine_and_done_at_four_thirty()
    {
        var day = _sandbox.NextFreeDayTehran();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 4, 29, 59));
        var before = await BalancedLedgerAsync();

        var closed = await PayByPolAsync(KhavarmianehIban, 10_000);
        var closedTransfers = (await BalancedLedgerAsync()).Transfers.Count;
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 4, 30, 0));
        var open = await PayByPolAsync(KhavarmianehIban, 10_000);

        Assert.Equal(RailOutcome.RailClosed, closed.Outcome);
        Assert.Contains("04:30", closed.Reason, StringComparison.Ordinal);
        Assert.Equal(before.Transfers.Count, closedTransfers);
        Assert.Equal(RailOutcome.Done, open.Outcome);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, -10_000, "078", 10_000, LedgerAccountCodes.Clearing(RailKind.Pol));
    }

    [Fact]
    public async Task a_paya_payment_at_ten_forty_four_fifty_nine_settles_at_ten_forty_five_and_not_a_moment_before()
    {
        var day = _sandbox.NextFreeDayTehran();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 10, 44, 59));
        var before = await BalancedLedgerAsync();

        var held = await HoldForPayaAsync(MelliIban, 70_000);
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 10, 44, 59, 500));
        var halfASecondLater = await BalancedLedgerAsync();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 10, 45, 0));

        Assert.Equal(RailOutcome.Done, held.Outcome);
        Assert.Equal(SandboxDriver.Tehran(day, 10, 45, 0), held.SettlesUtc);
        Assert.Contains(halfASecondLater.OpenHolds, hold => hold.Id == held.TransferId);
        Assert.Equal(before.PendingRials(SourceDeposit) + 70_000, halfASecondLater.PendingRials(SourceDeposit));
        Assert.Equal(before.BalanceRials(LedgerAccountCodes.Bank("017")), halfASecondLater.BalanceRials(LedgerAccountCodes.Bank("017")));
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, -70_000, "017", 70_000, LedgerAccountCodes.Clearing(RailKind.Paya));
    }

    [Fact]
    public async Task a_paya_payment_at_ten_forty_five_waits_for_the_cycle_at_thirteen_forty_five()
    {
        var day = _sandbox.NextFreeDayTehran();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 10, 45, 0));
        var before = await BalancedLedgerAsync();

        var held = await HoldForPayaAsync(PasargadIban, 90_000);
        var toTejarat = await HoldForPayaAsync(TejaratIban, 5_000);
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 44, 59));
        var justBefore = await BalancedLedgerAsync();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 45, 0));

        Assert.Equal(SandboxDriver.Tehran(day, 13, 45, 0), held.SettlesUtc);
        Assert.Equal(RailOutcome.Done, toTejarat.Outcome);
        Assert.Contains(justBefore.OpenHolds, hold => hold.Id == held.TransferId);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, -95_000, "057", 90_000, LedgerAccountCodes.Clearing(RailKind.Paya));
        Assert.Equal(5_000, after.BalanceRials(LedgerAccountCodes.Bank("018")) - before.BalanceRials(LedgerAccountCodes.Bank("018")));
    }

    [Fact]
    public async Task a_paya_payment_whose_destination_rejects_is_voided_at_the_cycle_and_the_money_returns()
    {
        var day = _sandbox.NextFreeDayTehran();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 0, 0));
        await _sandbox.SetBankAsync("055", "reject");
        var before = await BalancedLedgerAsync();

        var toRejectingBank = await HoldForPayaAsync(EghtesadNovinIban, 20_000);
        var toBlockedAccount = await HoldForPayaAsync(KeshavarziBlockedIban, 30_000);
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 45, 0));
        await _sandbox.SetBankAsync("055", "normal");

        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, 0, "055", 0, LedgerAccountCodes.Clearing(RailKind.Paya));
        Assert.Equal(before.BalanceRials(LedgerAccountCodes.Bank("016")), after.BalanceRials(LedgerAccountCodes.Bank("016")));
        var rejected = ResolutionOf(after, toRejectingBank.TransferId!.Value);
        Assert.Equal(TransferKind.VoidPending, rejected.Kind);
        Assert.Equal("destination bank rejected the payment", rejected.Note);
        Assert.Equal("destination account is blocked", ResolutionOf(after, toBlockedAccount.TransferId!.Value).Note);
    }

    [Fact]
    public async Task a_paya_payment_to_a_bank_that_is_down_waits_and_settles_once_the_bank_is_back()
    {
        var day = _sandbox.NextFreeDayTehran();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 0, 0));
        await _sandbox.SetBankAsync("013", "down");
        var before = await BalancedLedgerAsync();

        var held = await HoldForPayaAsync(RefahIban, 60_000);
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 45, 0));
        var whileDown = await BalancedLedgerAsync();
        await _sandbox.SetBankAsync("013", "normal");

        Assert.Contains(whileDown.OpenHolds, hold => hold.Id == held.TransferId);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        ShouldHaveMoved(before, after, -60_000, "013", 60_000, LedgerAccountCodes.Clearing(RailKind.Paya));
    }

    /// <summary>
    /// Regression: recovery (on this node or another) could ask about a Pol hold whose payment was not sent yet, hear
    /// "never received" and void it; the payment then arrived, the bank credited its customer, and the money existed
    /// twice. "Never received" is now final at the bank.
    /// </summary>
    [Fact]
    public async Task a_pol_payment_the_bank_said_it_never_received_is_refused_when_it_arrives_later()
    {
        await StartDayAtNoonAsync();
        var before = await BalancedLedgerAsync();
        var reference = "PLTEST" + Guid.NewGuid().ToString("N")[..14].ToUpperInvariant();
        var sourceId = await _kit.IdAsync(SourceDeposit);
        var clearingId = await _kit.IdAsync(LedgerAccountCodes.Clearing(RailKind.Pol));
        var hold = await _kit.RunAsync(db => _kit.Book.HoldAsync(db, sourceId, clearingId, Rials.FromTrusted(80_000),
            Origin with { Rail = RailKind.Pol, Reference = reference, Counterparty = RefahIban }, null, CancellationToken.None));

        await _rails.ResolveDueAsync(CancellationToken.None);
        var late = await gateway.Services.GetRequiredService<IInterbankNetwork>().SendAsync(
            new InterbankPayment(RailKind.Pol, reference, Iban.Parse(RefahIban), Rials.FromTrusted(80_000)), CancellationToken.None);

        Assert.Equal(BankAnswerKind.Rejected, late.Kind);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        Assert.Equal(TransferKind.VoidPending, ResolutionOf(after, hold.Transfer!.Id).Kind);
        ShouldHaveMoved(before, after, 0, "013", 0, LedgerAccountCodes.Clearing(RailKind.Pol));
    }

    [Fact]
    public async Task an_internal_transfer_is_posted_at_once_until_twenty_three_fifty_four()
    {
        var day = _sandbox.NextFreeDayTehran();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 23, 53, 59));
        var before = await BalancedLedgerAsync();

        var open = await TransferInternalAsync(15_000);
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 23, 54, 0));
        var paused = await TransferInternalAsync(15_000);
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day.AddDays(1), 0, 0, 0));
        var reopened = await TransferInternalAsync(15_000);

        Assert.Equal(RailOutcome.Done, open.Outcome);
        Assert.Equal(RailOutcome.RailClosed, paused.Outcome);
        Assert.Equal(RailOutcome.Done, reopened.Outcome);
        var after = (await BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        Assert.Equal(-30_000, after.BalanceRials(SourceDeposit) - before.BalanceRials(SourceDeposit));
        Assert.Equal(30_000, after.BalanceRials(OtherDeposit) - before.BalanceRials(OtherDeposit));
    }

    [Fact]
    public async Task an_internal_transfer_beyond_the_balance_is_refused_and_moves_nothing()
    {
        await StartDayAtNoonAsync();
        var before = await BalancedLedgerAsync();

        var result = await TransferInternalAsync(before.BalanceRials(SourceDeposit) + 1);

        Assert.Equal(RailOutcome.InsufficientFunds, result.Outcome);
        var after = await BalancedLedgerAsync();
        Assert.Equal(before.BalanceRials(SourceDeposit), after.BalanceRials(SourceDeposit));
        Assert.Equal(before.BalanceRials(OtherDeposit), after.BalanceRials(OtherDeposit));
    }
}

public sealed class PaymentRailsTests_on_sqlite(QuietRailsSqliteGateway gateway) : PaymentRailsTests(gateway), IClassFixture<QuietRailsSqliteGateway>;

public sealed class PaymentRailsTests_on_postgres(QuietRailsPostgresGateway gateway) : PaymentRailsTests(gateway), IClassFixture<QuietRailsPostgresGateway>;
