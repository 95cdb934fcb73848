using Havale.Api.Features.SignatoryConsole;

namespace Havale.Api.Tests.SignatoryConsole;

/// <summary>How the console writes numbers and dates for a Persian reader.</summary>
public sealed class ConsoleFormatTests
{
    [Theory]
    [InlineData(0, "۰ ریال", "۰ تومان")]
    [InlineData(15, "۱۵ ریال", "۱٫۵ تومان")]
    [InlineData(12_000_000, "۱۲٬۰۰۰٬۰۰۰ ریال", "۱٬۲۰۰٬۰۰۰ تومان")]
    [InlineData(20_000_000_001, "۲۰٬۰۰۰٬۰۰۰٬۰۰۱ ریال", "۲٬۰۰۰٬۰۰۰٬۰۰۰٫۱ تومان")]
    [InlineData(long.MaxValue, "۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۷ ریال", "۹۲۲٬۳۳۷٬۲۰۳٬۶۸۵٬۴۷۷٬۵۸۰٫۷ تومان")]
    public void amounts_are_written_in_persian_digits_with_thousands_separators_in_rials_and_tomans(long amountRials, string rials, string tomans)
    {
        Assert.Equal(rials, ConsoleFormat.Rials(amountRials));
        Assert.Equal(tomans, ConsoleFormat.Tomans(amountRials));
    }

    [Fact]
    public void a_kilid_date_is_written_as_a_jalali_date_and_time()
        => Assert.Equal("۱۴۰۸/۱۰/۱۵ ساعت ۱۲:۰۵:۰۹", ConsoleFormat.KilidDate("14081015120509"));

    [Fact]
    public void an_instant_is_written_on_the_tehran_wall_clock()
        => Assert.Equal("۱۴۰۸/۱۰/۱۶ ساعت ۱۰:۰۰:۰۰", ConsoleFormat.Instant(new DateTimeOffset(2030, 1, 5, 6, 30, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("۱۴۰۸/۱۰/۱۵", "14081015")]
    [InlineData("١٤٠٨/١٠/١٥", "14081015")]
    [InlineData(" 1408/10/15 ", "14081015")]
    [InlineData("14081015", "14081015")]
    public void a_typed_date_is_read_in_persian_arabic_or_ascii_digits(string typed, string ascii)
        => Assert.Equal(ascii, ConsoleFormat.TypedDate(typed));

    [Fact]
    public void every_order_status_row_state_transfer_type_and_action_the_api_writes_has_a_persian_name()
    {
        Assert.All(new[] { "created", "pending", "signed", "inprogress", "done", "deleted" }, status => Assert.NotEmpty(ConsoleFormat.OrderStatus(status)));
        Assert.All(new[] { "ready", "wait", "success", "failed" }, state => Assert.NotEmpty(ConsoleFormat.RowState(state)));
        Assert.All(Enum.GetValues<Havale.Domain.TransferType>(),
            type => Assert.NotEmpty(ConsoleFormat.TransferType(Api.Features.PaymentOrders.OrderWireNames.WireName(type))));
        Assert.All(Enum.GetValues<Api.Features.PaymentOrders.OrderAction>(),
            action => Assert.NotEmpty(ConsoleFormat.HistoryAction(Api.Features.PaymentOrders.OrderWireNames.WireName(action))));
    }

    [Fact]
    public void every_outcome_key_reads_back_as_itself_and_a_foreign_key_as_nothing()
    {
        var outcomes = Enum.GetValues<Api.Features.PaymentOrders.SignRefusal>()
            .SelectMany(refusal => new[] { new ConsoleOutcome(ConsoleAction.Sign, refusal, null, false), new ConsoleOutcome(ConsoleAction.Unsign, refusal, null, false) })
            .Concat(Enum.GetValues<Api.Features.PaymentOrders.PayRefusal>().Select(refusal => new ConsoleOutcome(ConsoleAction.Pay, null, refusal, false)))
            .Concat(Enum.GetValues<ConsoleAction>().SelectMany(action => new[] { new ConsoleOutcome(action, null, null, false), new ConsoleOutcome(action, null, null, true) }));
        foreach (var outcome in outcomes)
        {
            Assert.Equal(outcome, ConsoleOutcome.FromKey(outcome.Key));
            Assert.NotEmpty(ConsoleMessages.Describe(outcome));
        }
        Assert.Null(ConsoleOutcome.FromKey("pay-OutOfOrder"));
        Assert.Null(ConsoleOutcome.FromKey("sign-<script>"));
        Assert.Null(ConsoleOutcome.FromKey("sign-0"));
        Assert.Null(ConsoleOutcome.FromKey(""));
    }
}
