using Microsoft.Extensions.Options;
using Polly;

namespace Havale.Client.Tests;

/// <summary>The client's own rules, without a gateway: dates, enums, PKCE, trackIds, options and which answers are sent again.</summary>
public sealed class WireTests
{
    [Theory]
    [InlineData("14031005", 2024, 12, 25, 0, 0, 0)]
    [InlineData("14030101000000", 2024, 3, 20, 0, 0, 0)]
    [InlineData("14001229235959", 2022, 3, 20, 23, 59, 59)]
    public void a_jalali_date_is_read_as_its_tehran_instant_and_keeps_its_text(string text, int year, int month, int day, int hour, int minute, int second)
    {
        var date = JalaliDateTime.Parse(text);

        Assert.Equal(text, date.Text);
        Assert.Equal(new DateTime(year, month, day, hour, minute, second), date.Tehran!.Value.DateTime);
        Assert.Equal(text, JalaliDateTime.Format(date.Tehran.Value, dayOnly: text.Length == 8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1403-10-05")]
    [InlineData("14031340")]
    [InlineData("14031232")]
    [InlineData("140310051299")]
    public void text_that_is_no_jalali_date_keeps_its_text_and_has_no_instant(string text)
    {
        var date = JalaliDateTime.Parse(text);

        Assert.Equal(text, date.Text);
        Assert.Null(date.Tehran);
    }

    [Fact]
    public void a_state_added_to_the_wire_later_reads_as_unknown_instead_of_failing_the_answer()
    {
        var row = JsonSerializer.Deserialize<OrderRow>("""{"state": "reversed", "transfer_type": "satna", "amount": "185000"}""", HavaleJson.Options)!;
        var order = JsonSerializer.Deserialize<PaymentOrder>("""{"status": "archived", "history": [{"action": "comment"}]}""", HavaleJson.Options)!;
        var inquiry = JsonSerializer.Deserialize<TransactionInquiry>("""{"state": "UNKNOWN"}""", HavaleJson.Options)!;

        Assert.Equal(RowState.Unknown, row.State);
        Assert.Equal(TransferType.Unknown, row.TransferType);
        Assert.Equal(185_000, row.AmountRials);
        Assert.Equal(OrderStatus.Unknown, order.Status);
        Assert.Equal(OrderAction.Unknown, order.History.Single().Action);
        Assert.Equal(TransactionState.Unresolved, inquiry.State);
    }

    [Fact]
    public void the_pkce_challenge_is_rfc_7636s_own_example_and_a_new_verifier_is_43_characters()
    {
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.ChallengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        var pkce = Pkce.Create();
        Assert.Equal(43, pkce.Verifier.Length);
        Assert.DoesNotContain(pkce.Verifier, pkce.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void a_trackId_is_forty_letters_digits_or_dashes_at_most()
    {
        Assert.Equal(new string('a', TrackIds.LengthMax), TrackIds.OrNew(new string('a', TrackIds.LengthMax)));
        Assert.Throws<ArgumentException>(() => TrackIds.OrNew(new string('a', TrackIds.LengthMax + 1)));
        Assert.Throws<ArgumentException>(() => TrackIds.OrNew("pay_1"));
        Assert.Throws<ArgumentException>(() => TrackIds.OrNew(""));
        Assert.Matches("^[0-9a-f]{32}$", TrackIds.New());
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.BadGateway, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    [InlineData(HttpStatusCode.RequestTimeout, false)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.OK, false)]
    public void only_5xx_answers_are_sent_again_and_never_a_408(HttpStatusCode status, bool isSentAgain)
    {
        using var response = new HttpResponseMessage(status);
        var context = ResilienceContextPool.Shared.Get();

        Assert.Equal(isSentAgain, HavaleResilience.ShouldRetry(Outcome.FromResult(response), context));
    }

    [Fact]
    public void no_answer_is_sent_again_but_the_callers_own_cancellation_is_not()
    {
        var context = ResilienceContextPool.Shared.Get();

        Assert.True(HavaleResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("reset")), context));
        // Named through Polly.Core's assembly: the gateway's own dependencies bring Polly 7, whose type has the same name.
        var attemptTimedOut = (Exception)Activator.CreateInstance(typeof(Polly.Timeout.TimeoutStrategyOptions).Assembly
            .GetType("Polly.Timeout.TimeoutRejectedException", throwOnError: true)!)!;
        Assert.True(HavaleResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(attemptTimedOut), context));
        Assert.False(HavaleResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new OperationCanceledException()), context));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(HavaleRetryOptions.AttemptsMaxLimit + 1)]
    public void retries_past_their_bounds_are_refused_when_the_client_is_made(int attemptsMax)
    {
        var services = new ServiceCollection();
        services.AddHavaleClient(options =>
        {
            options.BaseAddress = new Uri("http://127.0.0.1:5080");
            options.ClientId = "havale-demo";
            options.Retry.AttemptsMax = attemptsMax;
        });
        using var provider = services.BuildServiceProvider();

        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<HavaleClientOptions>>().Value);
    }

    [Fact]
    public void a_client_without_a_base_address_is_refused_when_it_is_made()
    {
        var services = new ServiceCollection();
        services.AddHavaleClient(options => options.ClientId = "havale-demo");
        using var provider = services.BuildServiceProvider();

        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<HavaleClient>());
    }
}
