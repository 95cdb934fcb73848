using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Havale.Client;

/// <summary>
/// The client: tokens, Pol and Kilid, and Havale's sandbox. Get it from dependency injection after
/// <c>services.AddHavaleClient(...)</c>; it is cheap, and each one uses the HttpClient the factory manages.
/// </summary>
public sealed class HavaleClient
{
    private readonly HavaleClientOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public HavaleClient(HttpClient http, IOptions<HavaleClientOptions> options, IHavaleTokenStore store, TimeProvider clock, ILogger<HavaleClient> logger)
        : this(http, options, store, new TokenRefreshGate(), clock, logger)
    {
    }

    internal HavaleClient(HttpClient http, IOptions<HavaleClientOptions> options, IHavaleTokenStore store, TokenRefreshGate gate, TimeProvider clock,
        ILogger<HavaleClient> logger)
    {
        _options = options.Value;
        _options.Validate();
        _clock = clock;
        _logger = logger;
        var transport = new HavaleTransport(http, logger);
        Tokens = new HavaleTokens(transport, _options, store, gate, clock, logger);
        Sandbox = new HavaleSandbox(transport, Tokens);
    }

    public HavaleTokens Tokens { get; }

    /// <summary>Havale's sandbox routes; a Finnotech address has none.</summary>
    public HavaleSandbox Sandbox { get; }

    /// <summary>Pol and the inquiries, with the token <paramref name="credential"/> names.</summary>
    public HavalePol Pol(HavaleCredential credential) => new(Tokens, credential, _options, _clock, _logger);

    /// <summary>Kilid for the person <paramref name="nid"/> on <paramref name="deposit"/>, with the token <paramref name="credential"/> names.</summary>
    public HavaleKilid Kilid(HavaleCredential credential, string nid, string deposit) => new(Tokens, credential, _options, nid, deposit);
}
