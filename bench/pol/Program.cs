using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

// A benchmark, not a test: drives instantPayment over HTTP against a gateway that bench/run-pol.sh has started on a
// throwaway PostgreSQL, with C concurrent clients for a fixed time each, and prints one Markdown table row per C.
//
//   Havale.PolBench seed <sandbox.json> <out.json> <deposit> <balanceRials>   writes a seed whose deposit holds that much
//   Havale.PolBench run <baseUrl> <seconds> <clients,clients,...>              measures; rows on stdout, progress on stderr

return args switch
{
    ["seed", var input, var output, var deposit, var balance] => WriteSeed(input, output, deposit, long.Parse(balance, CultureInfo.InvariantCulture)),
    ["run", var baseUrl, var seconds, var clients] => await PolBench.RunAsync(new Uri(baseUrl),
        TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)),
        clients.Split(',').Select(count => int.Parse(count, CultureInfo.InvariantCulture)).ToList()),
    _ => Usage(),
};

static int WriteSeed(string input, string output, string deposit, long balanceRials)
{
    var seed = JsonNode.Parse(File.ReadAllText(input))!.AsObject();
    var entry = seed["deposits"]!.AsArray().Single(node => node!["number"]!.GetValue<string>() == deposit)!;
    entry["balanceRials"] = balanceRials;
    File.WriteAllText(output, seed.ToJsonString());
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Havale.PolBench seed <sandbox.json> <out.json> <deposit> <balanceRials> | run <baseUrl> <seconds> <clients,...>");
    return 2;
}

/// <summary>What one run of C clients did: payments made, every latency, and what came back that was not a payment.</summary>
internal sealed record RunResult(int Clients, TimeSpan Elapsed, int Paid, IReadOnlyList<double> LatenciesMs, IReadOnlyDictionary<string, int> Others);

internal static class PolBench
{
    private const string ClientId = "havale-demo";
    private const string ClientSecret = "havale-demo-secret";
    private const string Nid = "0012345679";
    private const string Deposit = "0302876732315";
    private const long AmountRials = 1_000;
    /// <summary>A bound on every worker's loop besides its time, so that a broken gateway that answers instantly cannot spin for ever.</summary>
    private const int CallsPerWorkerMax = 5_000_000;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Active accounts at Pol banks in the shipped seed; payments rotate over them as a real payer's would.</summary>
    private static readonly string[] Destinations =
    [
        "IR370120000000003141592653", "IR440610000000003141592761", "IR780700000000003141593063", "IR070190000000003141593559",
        "IR900560000000003141594249", "IR740780000000003141595133", "IR340170000000003141596211", "IR980570000000003141597483",
        "IR400550000000003141598949", "IR090130000000003141600609", "IR550150000000003141602463", "IR830690000000003141609189",
    ];

    public static async Task<int> RunAsync(Uri baseUrl, TimeSpan duration, IReadOnlyList<int> clientCounts)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        await WaitUntilUpAsync(http);
        await MoveClockToNoonAsync(http);
        var token = await MintTokenAsync(http);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Console.Error.WriteLine($"warm-up: {WarmUp.TotalSeconds} s with 4 clients");
        await MeasureAsync(http, "w", 4, WarmUp);
        foreach (var clients in clientCounts)
        {
            Console.Error.WriteLine($"run: {clients} clients for {duration.TotalSeconds} s");
            var result = await MeasureAsync(http, "c" + clients.ToString(CultureInfo.InvariantCulture), clients, duration);
            Console.WriteLine(Row(result));
        }
        return await LedgerIsBalancedAsync(http) ? 0 : 1;
    }

    private static async Task<RunResult> MeasureAsync(HttpClient http, string runTag, int clients, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(() => WorkAsync(http, $"{runTag}-{worker}", worker, clock, duration))).ToList();
        var outcomes = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var latencies = outcomes.SelectMany(outcome => outcome.LatenciesMs).Order().ToList();
        var others = outcomes.SelectMany(outcome => outcome.Others).GroupBy(pair => pair.Key)
            .ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value));
        return new RunResult(clients, elapsed, outcomes.Sum(outcome => outcome.Paid), latencies, others);
    }

    private static async Task<(int Paid, List<double> LatenciesMs, Dictionary<string, int> Others)> WorkAsync(HttpClient http, string workerTag,
        int worker, Stopwatch clock, TimeSpan duration)
    {
        var paid = 0;
        var latencies = new List<double>();
        var others = new Dictionary<string, int>();
        for (var call = 0; call < CallsPerWorkerMax && clock.Elapsed < duration; call++)
        {
            var trackId = $"b-{workerTag}-{call.ToString(CultureInfo.InvariantCulture)}";
            var body = Body(Destinations[(worker + call) % Destinations.Length]);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync($"/oak/v2/clients/{ClientId}/instantPayment?trackId={trackId}",
                new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (response.IsSuccessStatusCode && text.Contains("\"state\":\"DONE\"", StringComparison.Ordinal))
            {
                paid++;
            }
            else
            {
                var key = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                others[key] = others.GetValueOrDefault(key) + 1;
            }
        }
        return (paid, latencies, others);
    }

    private static string Body(string destination) => new JsonObject
    {
        ["amount"] = AmountRials,
        ["description"] = "سنجش کارایی پل",
        ["reasonDescription"] = "19",
        ["destinationFirstname"] = "محمود",
        ["destinationLastname"] = "دولت آبادی",
        ["destinationNumber"] = destination,
    }.ToJsonString();

    private static string Row(RunResult result)
    {
        var perSecond = result.Paid / result.Elapsed.TotalSeconds;
        var others = result.Others.Count == 0 ? "0" : string.Join(", ", result.Others.Select(pair => $"{pair.Value}×{pair.Key}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"| instantPayment over HTTP | {result.Clients} | {result.Elapsed.TotalSeconds:F1} | {result.Paid} | {perSecond:F0} | {Percentile(result.LatenciesMs, 0.50):F1} | {Percentile(result.LatenciesMs, 0.99):F1} | {others} |");
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(IReadOnlyList<double> sorted, double fraction)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task WaitUntilUpAsync(HttpClient http)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet: the gateway is still migrating its database and loading the seed.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"the gateway at {http.BaseAddress} did not answer /health within {StartTimeout.TotalSeconds} s");
    }

    /// <summary>Pol is closed 00:00-04:30 Tehran: the sandbox clock is set to tomorrow's noon, so the run never meets the closure.</summary>
    private static async Task MoveClockToNoonAsync(HttpClient http)
    {
        var clock = await SandboxAsync(http, HttpMethod.Get, "/sandbox/v1/clock", null);
        var tehranNow = DateTimeOffset.Parse(clock.GetProperty("tehran").GetString()!, CultureInfo.InvariantCulture);
        var noon = new DateTimeOffset(tehranNow.Date.AddDays(1).AddHours(12), tehranNow.Offset);
        await SandboxAsync(http, HttpMethod.Put, "/sandbox/v1/clock",
            $$"""{"now": "{{noon.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}"}""");
    }

    private static async Task<string> MintTokenAsync(HttpClient http)
    {
        var body = JsonSerializer.Serialize(new
        {
            grant_type = "authorization_code", nid = Nid, deposits = new[] { Deposit }, scopes = "oak:instant-payment:post", limit = 100_000_000, bank = "062",
        });
        return (await SandboxAsync(http, HttpMethod.Post, "/sandbox/v1/tokens", body)).GetProperty("value").GetString()!;
    }

    private static async Task<bool> LedgerIsBalancedAsync(HttpClient http)
    {
        var ledger = await SandboxAsync(http, HttpMethod.Get, "/sandbox/v1/ledger", null);
        var sumRials = ledger.GetProperty("sumRials").GetInt64();
        var pendingRials = ledger.GetProperty("accounts").EnumerateArray().Sum(account => account.GetProperty("pendingRials").GetInt64());
        Console.Error.WriteLine($"ledger after the runs: sumRials {sumRials}, pendingRials {pendingRials}");
        Console.WriteLine($"LEDGER sumRials={sumRials} pendingRials={pendingRials}");
        return sumRials == 0 && pendingRials == 0;
    }

    private static async Task<JsonElement> SandboxAsync(HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text).RootElement.GetProperty("result").Clone();
    }
}
