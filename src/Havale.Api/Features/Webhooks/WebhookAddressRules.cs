using System.Net;
using System.Net.Sockets;

namespace Havale.Api.Features.Webhooks;

/// <summary>Every way a webhook URL is refused, in the order the rules are checked.</summary>
public enum UrlRefusal
{
    NotAbsolute,
    SchemeNotHttp,
    HasUserInfo,
    HostNotResolved,
    AddressNotPublic,
}

/// <summary>
/// SSRF rules (OWASP API7): webhooks go to http(s) on public addresses only. Outside the sandbox no loopback,
/// link-local, private, unique-local, multicast or unspecified address; the sandbox may also call loopback (a receiver
/// on 127.0.0.1). The rules are checked when an endpoint is registered, and again on every connection against the
/// addresses DNS gives at that moment, so a name that later resolves to an inside address (DNS rebinding) gets nowhere.
/// </summary>
public sealed class WebhookAddressRules(bool allowsLoopback)
{
    public bool AllowsLoopback { get; } = allowsLoopback;

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Link-local fe80::/10, unique-local fc00::/7, multicast ff00::/8, site-local (deprecated) fec0::/10.
            var first = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (first[0] & 0xFE) == 0xFC
                || address.IsIPv6Teredo);
        }
        var bytes = address.GetAddressBytes();
        return bytes[0] switch
        {
            0 or 10 or 127 => false,
            100 when bytes[1] >= 64 && bytes[1] <= 127 => false, // carrier-grade NAT 100.64.0.0/10
            169 when bytes[1] == 254 => false, // link-local, where cloud metadata services answer
            172 when bytes[1] >= 16 && bytes[1] <= 31 => false,
            192 when bytes[1] == 168 => false,
            192 when bytes[1] == 0 && bytes[2] == 0 => false,
            198 when bytes[1] is 18 or 19 => false, // benchmarking 198.18.0.0/15
            >= 224 => false, // multicast and reserved
            _ => true,
        };
    }

    public bool Allows(IPAddress address)
        => IsPublic(address) || (AllowsLoopback && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));

    /// <summary>The refusal of a URL at registration, or null; a host name must resolve, and every address it gives must be allowed.</summary>
    public async Task<(UrlRefusal? Refusal, Uri? Uri)> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return (UrlRefusal.NotAbsolute, null);
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return (UrlRefusal.SchemeNotHttp, null);
        }
        if (uri.UserInfo.Length > 0)
        {
            return (UrlRefusal.HasUserInfo, null);
        }
        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.IdnHost, cancellationToken);
            }
            catch (SocketException)
            {
                return (UrlRefusal.HostNotResolved, null);
            }
        }
        if (addresses.Length == 0)
        {
            return (UrlRefusal.HostNotResolved, null);
        }
        return addresses.All(Allows) ? (null, uri) : (UrlRefusal.AddressNotPublic, null);
    }

    public static string Describe(UrlRefusal refusal) => refusal switch
    {
        UrlRefusal.NotAbsolute => "must be an absolute URL",
        UrlRefusal.SchemeNotHttp => "only http and https URLs are allowed",
        UrlRefusal.HasUserInfo => "must not carry a user name or password",
        UrlRefusal.HostNotResolved => "the host name does not resolve",
        UrlRefusal.AddressNotPublic =>
            "the host is a loopback, link-local, private, unique-local, multicast or unspecified address, which webhooks may not call",
    };

    /// <summary>
    /// The connection itself: resolves the host now, refuses if any address is not allowed, and connects to the
    /// addresses it checked (never resolving again), so the check and the connection see the same addresses.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0 || !addresses.All(Allows))
        {
            throw new HttpRequestException($"webhook host {host} resolves to an address webhooks may not call");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
