using System.Net.Http.Headers;
using System.Text;
using Havale.Api.Auth;

namespace Havale.Api.Tests.Infrastructure;

/// <summary>The sandbox seed's people and accounts that tests lean on (src/Havale.Api/sandbox.json).</summary>
public static class Seed
{
    public const string DemoClient = "havale-demo";
    public const string DemoSecret = "havale-demo-secret";
    public const string DemoNid = "0012345679";
    public const string DemoDeposit = "0302876732315";
    public const long DemoAmountRialsMax = 100_000_000;
    public const string OtherClient = "havale-other";
    public const string OtherSecret = "havale-other-secret";
    public const string OtherNid = "1234567891";
    public const string OtherDeposit = "0100200300400";
    /// <summary>A valid national code and deposit number that no seed entry has.</summary>
    public const string UnknownNid = "0000000000";
    public const string UnknownDeposit = "0555555555555";
}

/// <summary>Real tokens from the real token endpoints, the way a client gets them.</summary>
public static class Tokens
{
    public static AuthenticationHeaderValue Basic(string clientId, string secret)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));

    public static async Task<Answer> PostTokenAsync(this HttpClient client, string uri, string clientId, string secret, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = Basic(clientId, secret);
        return await client.SendRawAsync(request);
    }

    /// <summary>A client-credential token for the client's registered person.</summary>
    public static async Task<JsonElement> ClientCredentialAsync(this HttpClient client, string scopes,
        string clientId = Seed.DemoClient, string secret = Seed.DemoSecret, string nid = Seed.DemoNid)
    {
        var answer = await client.PostTokenAsync("/dev/v2/oauth2/token", clientId, secret,
            JsonSerializer.Serialize(new { grant_type = "client_credentials", nid, scopes }));
        return answer.ShouldSucceed().Result;
    }

    /// <summary>A code token through the sandbox shortcut (the consent page's own test drives the page).</summary>
    public static async Task<JsonElement> SandboxCodeAsync(this HttpClient client, string scopes, string[]? deposits = null, long limit = 1_000_000,
        string clientId = Seed.DemoClient, string secret = Seed.DemoSecret, string nid = Seed.DemoNid)
    {
        var answer = await client.PostTokenAsync("/sandbox/v1/tokens", clientId, secret, JsonSerializer.Serialize(new
        {
            grant_type = "authorization_code", nid, deposits = deposits ?? [Seed.DemoDeposit], scopes, limit, bank = "062",
        }));
        return answer.ShouldSucceed().Result;
    }

    public static string Value(this JsonElement tokenResult) => tokenResult.GetProperty("value").GetString()!;

    public static HttpClient WithBearer(this HavaleFactory gateway, string token)
    {
        var client = gateway.CreateJsonClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A JWT's payload, decoded the way pyfinnotech does it: no signature check, base64url of the middle part.</summary>
    public static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }

    /// <summary>Every scope the demo client is registered for that the probes use.</summary>
    public const string ProbeScopes = Scopes.InstantPayment + "," + Scopes.IbanInquiry;
}
