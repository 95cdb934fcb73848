using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Havale.Api.Platform.Telemetry;
using Havale.Api.Tests.Pol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Havale.Api.Tests.Platform;

/// <summary>
/// A gateway with /metrics and traces on. The in-memory test server has no socket, so a first middleware gives each
/// request the caller address a test names in <see cref="RemoteAddressHeader"/> (loopback when it names none), and the
/// traces go to a list instead of the OTLP endpoint (a closed loopback port).
/// </summary>
public class TelemetryGateway(TestDatabase database) : PolGateway(database, new Dictionary<string, string?>
{
    ["Havale:Telemetry:Metrics"] = "true",
    ["Havale:Telemetry:Tracing"] = "true",
    ["Havale:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9",
    ["Havale:Telemetry:HeldMoneyRefreshSeconds"] = "1",
})
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public ConcurrentQueue<CapturedLine> Lines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter>(new RemoteAddressFilter());
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(new SpanList(Spans)));
        });
        builder.ConfigureLogging(logging => logging.AddProvider(new ScopeCapturingProvider(Lines)));
    }

    private sealed class RemoteAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = context.Request.Headers.TryGetValue(RemoteAddressHeader, out var given)
                    ? IPAddress.Parse(given.ToString())
                    : IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>The in-memory exporter takes an ICollection; a queue is safe for the spans that end on many threads.</summary>
    private sealed class SpanList(ConcurrentQueue<Activity> spans) : ICollection<Activity>
    {
        public int Count => spans.Count;
        public bool IsReadOnly => false;
        public void Add(Activity item) => spans.Enqueue(item);
        public void Clear() => spans.Clear();
        public bool Contains(Activity item) => spans.Contains(item);
        public void CopyTo(Activity[] array, int arrayIndex) => spans.CopyTo(array, arrayIndex);
        public bool Remove(Activity item) => throw new NotSupportedException();
        public IEnumerator<Activity> GetEnumerator() => spans.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

public sealed record CapturedLine(string Category, string Message, IReadOnlyList<string> Scopes);

/// <summary>A logger provider that sees scopes the way the console's and the JSON formatter's do (external scopes).</summary>
public sealed class ScopeCapturingProvider(ConcurrentQueue<CapturedLine> lines) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ScopeCapturingProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            provider._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
            provider.Lines(new CapturedLine(category, formatter(state, exception), scopes));
        }
    }

    private void Lines(CapturedLine line) => lines.Enqueue(line);
}

public sealed class TelemetrySqliteGateway() : TelemetryGateway(TestDatabase.Sqlite);

public sealed class TelemetryPostgresGateway() : TelemetryGateway(TestDatabase.Postgres);

/// <summary>Metrics, traces and logs as an operator reads them (docs/operations.md).</summary>
public abstract class TelemetryTests(TelemetryGateway gateway)
{
    private readonly PolKit _kit = new(gateway);
    private static readonly TimeSpan ScrapeWaitMax = TimeSpan.FromSeconds(10);

    private async Task<string> ScrapeAsync()
    {
        var response = await gateway.CreateClient().GetAsync(TelemetryOptions.MetricsPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels include every one given; 0 when there is none yet.</summary>
    private static double Sample(string scrape, string metric, params string[] labels)
    {
        foreach (var line in scrape.Split('\n'))
        {
            var match = Regex.Match(line, $"^{Regex.Escape(metric)}\\{{(?<labels>[^}}]*)\\}} (?<value>[^ ]+)");
            if (match.Success && labels.All(label => match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    /// <summary>Scrapes until <paramref name="holds"/> (the exporter caches a scrape for a moment), at most <see cref="ScrapeWaitMax"/>.</summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> holds)
    {
        var timer = Stopwatch.StartNew();
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (holds(scrape) || timer.Elapsed > ScrapeWaitMax)
            {
                return scrape;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task a_pol_payment_moves_the_payments_counter_the_latency_histogram_and_the_batch_sizes_on_metrics()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await ScrapeAsync();
        var paidBefore = Sample(before, "havale_payments_total", "rail=\"pol\"", "outcome=\"done\"");
        var timedBefore = Sample(before, "havale_payment_duration_seconds_count", "operation=\"instant_payment\"", "outcome=\"done\"");

        (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.MellatIban, 1_000))).ShouldBePaid();

        // ASP.NET Core records a request's duration as the request ends, a moment after its caller has the answer.
        var after = await ScrapeUntilAsync(scrape => Sample(scrape, "havale_payments_total", "rail=\"pol\"", "outcome=\"done\"") > paidBefore
            && scrape.Contains("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal));
        Assert.True(Sample(after, "havale_payments_total", "rail=\"pol\"", "outcome=\"done\"") >= paidBefore + 1, after);
        Assert.True(Sample(after, "havale_payment_duration_seconds_count", "operation=\"instant_payment\"", "outcome=\"done\"") >= timedBefore + 1, after);
        Assert.Contains("havale_pol_batch_size_bucket{", after, StringComparison.Ordinal);
        // ASP.NET Core's own request metrics come along.
        Assert.Contains("http_server_request_duration_seconds_bucket{", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_refused_payment_is_counted_under_its_outcome()
    {
        await _kit.StartDayAsync();
        var empty = await _kit.PayerAsync(nid: PolSeed.EmptyNid, deposit: PolSeed.EmptyDeposit);
        var before = Sample(await ScrapeAsync(), "havale_payments_total", "rail=\"pol\"", "outcome=\"insufficient_funds\"");

        (await PolKit.PayAsync(empty, PolSeed.ExampleBody(PolSeed.MellatIban, 1_000))).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var after = await ScrapeUntilAsync(scrape => Sample(scrape, "havale_payments_total", "rail=\"pol\"", "outcome=\"insufficient_funds\"") > before);
        Assert.True(Sample(after, "havale_payments_total", "rail=\"pol\"", "outcome=\"insufficient_funds\"") >= before + 1, after);
    }

    [Fact]
    public async Task a_payment_the_bank_does_not_answer_shows_as_an_open_hold_and_its_rials_on_the_gauges()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var openBefore = Sample(await ScrapeUntilAsync(text => text.Contains("havale_holds_open{", StringComparison.Ordinal)), "havale_holds_open");
        await _kit.Sandbox.SetBankAsync("012", "timeout");
        try
        {
            (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.MellatIban, 7_000))).ShouldFail(HttpStatusCode.RequestTimeout, "TIMEOUT");

            // The gauges are read every second here, in the background; the scrape only reports the last reading.
            var scrape = await ScrapeUntilAsync(text => Sample(text, "havale_holds_open") > openBefore);
            Assert.True(Sample(scrape, "havale_holds_open") >= openBefore + 1, scrape);
            Assert.True(Sample(scrape, "havale_holds_pending_rials") >= 7_000, scrape);
            Assert.True(Sample(scrape, "havale_holds_accounts") >= 1, scrape);
        }
        finally
        {
            // Setting the bank back asks it about the open hold, which it then credits.
            await _kit.Sandbox.SetBankAsync("012", "normal");
        }
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task metrics_are_refused_to_a_caller_that_is_not_loopback()
    {
        var client = gateway.CreateJsonClient();
        client.DefaultRequestHeaders.Add(TelemetryGateway.RemoteAddressHeader, "10.1.2.3");

        var answer = await client.GetEnvelopeAsync(TelemetryOptions.MetricsPath);

        answer.ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.DoesNotContain("havale_", answer.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task every_line_havale_logs_while_a_request_runs_carries_its_trackId()
    {
        var client = await gateway.CreateProbeClientAsync();
        var trackId = "log-" + Guid.NewGuid().ToString("N")[..20];
        gateway.Lines.Clear();

        (await client.PostEnvelopeAsync($"/probe/v2/clients/{Seed.DemoClient}/explode?trackId={trackId}", "{}"))
            .ShouldFail(HttpStatusCode.InternalServerError, "INTERNAL_SERVER_ERROR");

        // The request's lines are those inside ASP.NET Core's own scope for it; Havale's (from the moment the trackId is
        // read, right after routing) must each carry the trackId, and the envelope handler's error line is one of them.
        var requestLines = gateway.Lines.Where(line => line.Category.StartsWith("Havale.", StringComparison.Ordinal)
            && line.Scopes.Any(scope => scope.Contains($"RequestPath:/probe/v2/clients/{Seed.DemoClient}/explode", StringComparison.Ordinal))).ToList();
        Assert.Contains(requestLines, line => line.Message.Contains(trackId, StringComparison.Ordinal));
        Assert.All(requestLines, line => Assert.Contains($"trackId:{trackId}", line.Scopes));
    }

    [Fact]
    public async Task a_request_is_traced_with_its_trackId_and_on_postgres_with_its_database_statements()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var trackId = PolKit.NewTrackId();

        (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.MellatIban, 1_000), trackId)).ShouldBePaid();

        var server = await WaitForAsync(() => gateway.Spans.FirstOrDefault(span => span.Kind == ActivityKind.Server
            && Equals(span.GetTagItem("trackId"), trackId)));
        Assert.NotNull(server);
        // The payment's own statements run in the Pol writer's shared batches, under no one request's trace; an
        // inquiry reads the call log in its request, so its trace holds its statements.
        var inquiryTrackId = "inq-" + Guid.NewGuid().ToString("N")[..20];
        (await payer.GetEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/transactionInquiry?inquiryTrackId={trackId}&trackId={inquiryTrackId}"))
            .ShouldSucceed();
        var inquiry = await WaitForAsync(() => gateway.Spans.FirstOrDefault(span => span.Kind == ActivityKind.Server
            && Equals(span.GetTagItem("trackId"), inquiryTrackId)));
        Assert.NotNull(inquiry);
        if (gateway.Database == TestDatabase.Postgres)
        {
            Assert.Contains(gateway.Spans, span => span.Source.Name == "Npgsql" && span.TraceId == inquiry.TraceId);
        }
        // The scrape endpoint itself is not traced.
        await ScrapeAsync();
        Assert.DoesNotContain(gateway.Spans, span => span.Kind == ActivityKind.Server
            && (span.GetTagItem("url.path") as string) == TelemetryOptions.MetricsPath);
    }

    private static async Task<T?> WaitForAsync<T>(Func<T?> find) where T : class
    {
        var timer = Stopwatch.StartNew();
        while (find() is null && timer.Elapsed < ScrapeWaitMax)
        {
            await Task.Delay(50);
        }
        return find();
    }
}

public sealed class TelemetryTests_on_sqlite(TelemetrySqliteGateway gateway) : TelemetryTests(gateway), IClassFixture<TelemetrySqliteGateway>;

public sealed class TelemetryTests_on_postgres(TelemetryPostgresGateway gateway) : TelemetryTests(gateway), IClassFixture<TelemetryPostgresGateway>;

/// <summary>What an operator gets without asking: no scrape endpoint.</summary>
public sealed class TelemetryOffTests(SqliteGateway gateway) : IClassFixture<SqliteGateway>
{
    [Fact]
    public async Task metrics_are_not_served_unless_configured()
    {
        var answer = await gateway.CreateJsonClient().GetEnvelopeAsync(TelemetryOptions.MetricsPath);

        answer.ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
