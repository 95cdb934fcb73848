using Microsoft.Extensions.Logging;

namespace Havale.Client.Tests;

/// <summary>
/// The gateway the client tests talk to: the real pipeline on its own database. Its background resolver waits an
/// hour, so that only the sandbox routes decide when a held payment resolves, and a Pol bank that does not answer
/// makes the gateway answer 408 after 300 ms rather than 10 s.
/// </summary>
public class ClientGateway(TestDatabase database) : HavaleFactory(database, new Dictionary<string, string?>
{
    ["Havale:Rails:ResolveIntervalSeconds"] = "3600",
    ["Havale:Rails:PolAnswerTimeoutMs"] = "300",
});

public sealed class ClientSqliteGateway() : ClientGateway(TestDatabase.Sqlite);

public sealed class ClientPostgresGateway() : ClientGateway(TestDatabase.Postgres);

/// <summary>The seed's people, deposits and IBANs the client tests use (src/Havale.Api/sandbox.json).</summary>
public static class People
{
    public const string ClientId = Seed.DemoClient;
    public const string ClientSecret = Seed.DemoSecret;
    /// <summary>مریم احمدی, who owns the demo deposit and pays by Pol from it.</summary>
    public const string Maryam = Seed.DemoNid;
    public const string MaryamDeposit = Seed.DemoDeposit;
    /// <summary>علی رضایی owns the corporate deposit (2 of 3 signatures); سارا and نرگس sign it.</summary>
    public const string Ali = "0023456787";
    public const string Sara = "0123456789";
    public const string Narges = "4400000011";
    public const string Corporate = "0201648361007";
    public const string MellatIban = "IR370120000000003141592653";
    public const string TejaratIban = "IR060180000000003141614643";
    public const string KeshavarziBlockedIban = "IR750160000000003141604511";

    public static readonly string[] PolScopes = ["oak:instant-payment:post", "oak:pol-inquiry:get", "oak:transaction-inquiry:get"];

    public static readonly string[] KilidScopes =
    [
        "kilid:request:create", "kilid:requests:get", "kilid:request:get", "kilid:request:update", "kilid:request:delete",
        "kilid:deposits:get", "kilid:user:get", "kilid:statement:get", "kilid:request:sign", "kilid:request:pay",
    ];

    public static readonly HavaleCredential IbanInquiry = HavaleCredential.ClientCredentials(["oak:iban-inquiry:get"]);

    public static PolPayment Payment(long amountRials, string destinationIban = MellatIban) => new()
    {
        AmountRials = amountRials,
        Description = "کتاب سلوک",
        ReasonDescription = "19",
        DestinationFirstname = "محمود",
        DestinationLastname = "دولت آبادی",
        DestinationNumber = destinationIban,
    };
}

/// <summary>
/// One client as an application registers it (<c>AddHavaleClient</c>), pointed at the in-process gateway, with the
/// fault injector between its retry pipeline and the gateway and every log line kept to check for secrets.
/// </summary>
public sealed class ClientKit : IDisposable
{
    private readonly ServiceProvider _services;

    public ClientKit(HavaleFactory gateway, Action<HavaleClientOptions>? configure = null, bool clientFollowsGatewayClock = true)
        // The client reads token expiry from the same clock the sandbox moves, so a token 11 sandbox days old is old to both.
        : this(gateway.Server.BaseAddress, clientFollowsGatewayClock ? gateway.Clock : TimeProvider.System, () => gateway.Server.CreateHandler(), configure)
    {
        _gateway = gateway;
    }

    /// <summary>A client of any gateway at <paramref name="baseAddress"/>, over real sockets unless <paramref name="primaryHandler"/> says otherwise.</summary>
    public ClientKit(Uri baseAddress, TimeProvider clock, Func<HttpMessageHandler>? primaryHandler = null, Action<HavaleClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton(clock);
        var builder = services.AddHavaleClient(options =>
            {
                options.BaseAddress = baseAddress;
                options.ClientId = People.ClientId;
                options.ClientSecret = People.ClientSecret;
                options.NationalCode = People.Maryam;
                options.Retry.FirstDelay = TimeSpan.FromMilliseconds(10);
                options.Retry.AttemptTimeout = TimeSpan.FromSeconds(20);
                options.Retry.TimeoutResolutionInterval = TimeSpan.FromMilliseconds(100);
                options.Retry.TimeoutResolutionWait = TimeSpan.FromSeconds(5);
                configure?.Invoke(options);
            })
            .AddHttpMessageHandler(() => Faults)
            // One handler chain for the kit's life: the injector is one instance and can sit in one chain only.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        if (primaryHandler is not null)
        {
            builder.ConfigurePrimaryHttpMessageHandler(primaryHandler);
        }
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<HavaleClient>();
    }

    private readonly HavaleFactory? _gateway;

    public HavaleFactory Gateway => _gateway ?? throw new InvalidOperationException("this kit talks to a gateway that is not in process");

    public HavaleClient Client { get; }

    public FaultInjector Faults { get; } = new();

    public KeptLogs Logs { get; } = new();

    /// <summary>Moves the sandbox clock to the next Tehran day at 10:00 (Pol open, before the 10:45 Paya cycle); tests each take a day of their own.</summary>
    public async Task<DateOnly> StartDayAsync()
    {
        var now = await Client.Sandbox.ClockAsync();
        var tehran = now.NowUtc.ToOffset(TimeSpan.FromMinutes(210));
        var day = DateOnly.FromDateTime(tehran.DateTime).AddDays(1);
        await Client.Sandbox.SetClockAsync(TehranAt(day, 10, 0));
        return day;
    }

    public static DateTimeOffset TehranAt(DateOnly day, int hour, int minute)
        => new(day.Year, day.Month, day.Day, hour, minute, 0, TimeSpan.FromMinutes(210));

    /// <summary>A customer's code token through the sandbox shortcut, kept under their national code and deposit.</summary>
    public async Task<HavaleCredential> ConsentAsync(string nid, string deposit, IReadOnlyList<string> scopes, long limitRials = Seed.DemoAmountRialsMax)
    {
        var key = $"{nid}:{deposit}:{scopes[0]}";
        await Client.Sandbox.ConsentAsync(key, new SandboxConsent { NationalCode = nid, Deposits = [deposit], Scopes = scopes, LimitRials = limitRials });
        return HavaleCredential.Stored(key);
    }

    public Task<HavaleCredential> MaryamPaysAsync(long limitRials = Seed.DemoAmountRialsMax)
        => ConsentAsync(People.Maryam, People.MaryamDeposit, People.PolScopes, limitRials);

    public async Task<HavaleKilid> KilidAsync(string nid)
        => Client.Kilid(await ConsentAsync(nid, People.Corporate, People.KilidScopes), nid, People.Corporate);

    /// <summary>The full ledger audit: every account's invariants and a sum of zero.</summary>
    public async Task<LedgerAudit> BalancedLedgerAsync()
    {
        Assert.Equal(0, (await Client.Sandbox.LedgerAsync()).SumRials);
        return (await LedgerAudit.ReadAsync(Gateway.Services)).ShouldBalance();
    }

    /// <summary>No log line of the client holds a token, a refresh token or the client secret.</summary>
    public async Task LogsShouldHoldNoSecretAsync(params HavaleCredential[] credentials)
    {
        var secrets = new List<string> { People.ClientSecret };
        foreach (var credential in credentials)
        {
            var token = await _services.GetRequiredService<IHavaleTokenStore>().GetAsync(credential.Key, CancellationToken.None);
            Assert.NotNull(token);
            secrets.Add(token.AccessToken);
            secrets.Add(token.RefreshToken);
        }
        secrets.AddRange(Faults.AccessTokensSeen);
        foreach (var line in Logs.Lines)
        {
            foreach (var secret in secrets.Where(secret => secret.Length > 0))
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }

    public IHavaleTokenStore TokenStore => _services.GetRequiredService<IHavaleTokenStore>();

    public void Dispose() => _services.Dispose();
}
