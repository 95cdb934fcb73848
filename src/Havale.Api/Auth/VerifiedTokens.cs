using System.Collections.Concurrent;
using System.Security.Claims;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Havale.Api.Auth;

/// <summary>
/// Access tokens whose signature this node has already checked, and the claims read from them. A client presents the
/// same token on every call until it expires; parsing the JWT and checking its RSA signature each time was the largest
/// single cost of authenticating a call. Only that step is skipped: every later check (lifetime, audience, scopes,
/// revocation) still runs on every call, on a copy of the claims as the signature check produced them.
/// </summary>
public sealed class VerifiedTokens
{
    /// <summary>Tokens kept at once; when full, the set is emptied and refills from the calls that follow.</summary>
    public const int EntriesMax = 10_000;

    /// <summary>How long a token is trusted on its checked signature before it is checked again.</summary>
    public const int KeptMsMax = 60_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string token, out ClaimsPrincipal principal)
    {
        if (_entries.TryGetValue(token, out var entry) && Environment.TickCount64 < entry.KeptUntilMs)
        {
            // A copy of every identity: the steps after this one add and remove claims on the principal of the call
            // they run for, and concurrent calls with one token must not share (or leak into each other) those changes.
            principal = DeepCopy(entry.Principal);
            return true;
        }
        principal = null!;
        return false;
    }

    public void Add(string token, ClaimsPrincipal principal)
    {
        if (_entries.Count >= EntriesMax)
        {
            _entries.Clear();
        }
        _entries[token] = new Entry(DeepCopy(principal), Environment.TickCount64 + KeptMsMax);
    }

    /// <summary>
    /// <see cref="ClaimsPrincipal.Clone"/> is shallow: the copy shares the original's identities and so its claim lists
    /// (a flood of calls with one token once failed 500 with "Collection was modified" inside OpenIddict's scope
    /// normalisation). <see cref="ClaimsIdentity.Clone"/> copies the identity's claims.
    /// </summary>
    internal static ClaimsPrincipal DeepCopy(ClaimsPrincipal principal) => new(principal.Identities.Select(identity => identity.Clone()));

    private sealed record Entry(ClaimsPrincipal Principal, long KeptUntilMs);

    /// <summary>Just before OpenIddict checks the JWT: a token checked before gets its claims back, and that check is skipped.</summary>
    public sealed class UseVerified(VerifiedTokens verified) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public static OpenIddictValidationHandlerDescriptor Descriptor { get; } = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<UseVerified>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order - 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            // OpenIddict's own JWT check does nothing when a principal is already attached.
            if (context.Principal is null && context.Token is { Length: > 0 } token && verified.TryGet(token, out var principal))
            {
                context.Principal = principal;
                context.Transaction.Properties[FromCacheProperty] = true;
            }
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Just after OpenIddict checked a JWT's signature: its claims are kept for the token's next call.</summary>
    public sealed class KeepVerified(VerifiedTokens verified) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public static OpenIddictValidationHandlerDescriptor Descriptor { get; } = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<KeepVerified>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order + 500)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (!context.IsRejected && context.Principal is { } principal && context.Token is { Length: > 0 } token
                && !context.Transaction.Properties.ContainsKey(FromCacheProperty))
            {
                verified.Add(token, principal);
            }
            return ValueTask.CompletedTask;
        }
    }

    private const string FromCacheProperty = ".havale_verified_token";
}
