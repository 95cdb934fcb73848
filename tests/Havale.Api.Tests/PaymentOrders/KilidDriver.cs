namespace Havale.Api.Tests.PaymentOrders;

/// <summary>The sandbox's corporate deposit and its people, and other deposits the Kilid tests use (src/Havale.Api/sandbox.json).</summary>
public static class KilidSeed
{
    /// <summary>Owned by <see cref="Owner"/>; signed by <see cref="FirstSigner"/>, <see cref="SecondSigner"/> and the owner; 2 signatures.</summary>
    public const string Corporate = "0201648361007";
    public const string Owner = "0023456787";
    public const string FirstSigner = "0123456789";
    public const string SecondSigner = "4400000011";
    /// <summary>The demo deposit, owned and signed by the demo person, 1 signature.</summary>
    public const string Demo = Seed.DemoDeposit;
    public const string DemoPerson = Seed.DemoNid;
    /// <summary>Owned and signed by <see cref="SmallPerson"/>, 1,000,000,000 rials, 1 signature.</summary>
    public const string Small = "0100200300400";
    public const string SmallPerson = "1234567891";
    public const string MellatIban = "IR370120000000003141592653";
    public const string ShahrIban = "IR440610000000003141592761";
    public const string ResalatIban = "IR780700000000003141593063";
    public const string SamanIban = "IR900560000000003141594249";
    public const string MelliIban = "IR340170000000003141596211";

    public const string AllScopes = "kilid:request:create,kilid:requests:get,kilid:request:get,kilid:request:update,kilid:request:delete,"
        + "kilid:deposits:get,kilid:user:get,kilid:statement:get,kilid:request:sign,kilid:request:pay";
}

/// <summary>Kilid over HTTP as a client calls it, each person with their own authorization-code token.</summary>
public sealed class KilidDriver(HavaleFactory gateway)
{
    public SandboxDriver Sandbox { get; } = new(gateway);

    public HavaleFactory Gateway => gateway;

    public async Task<Person> PersonAsync(string nid, string deposit, long limitRials = Seed.DemoAmountRialsMax, string scopes = KilidSeed.AllScopes)
    {
        var token = (await gateway.CreateJsonClient().SandboxCodeAsync(scopes, [deposit], limitRials, nid: nid)).Value();
        return new Person(nid, deposit, gateway.WithBearer(token));
    }

    public static string NewTrackId() => "k-" + Guid.NewGuid().ToString("N")[..30];

    public static string Row(object amount, string number, string? name = null, string? description = null, string? referenceCode = null)
    {
        var row = new Dictionary<string, object> { ["amount"] = amount, ["number"] = number };
        if (name is not null)
        {
            row["name"] = name;
        }
        if (description is not null)
        {
            row["description"] = description;
        }
        if (referenceCode is not null)
        {
            row["reference_code"] = referenceCode;
        }
        return JsonSerializer.Serialize(row);
    }

    public static string Body(IEnumerable<string> rows, string nationalCode, string? ceremonies = null, string? note = null)
    {
        var parts = new List<string> { $"\"destinations\": [{string.Join(", ", rows)}]", $"\"nationalCode\": \"{nationalCode}\"" };
        if (ceremonies is not null)
        {
            parts.Add($"\"ceremonies\": {ceremonies}");
        }
        if (note is not null)
        {
            parts.Add($"\"note\": {JsonSerializer.Serialize(note)}");
        }
        return "{" + string.Join(", ", parts) + "}";
    }
}

/// <summary>One person with their own token on one deposit.</summary>
public sealed record Person(string Nid, string Deposit, HttpClient Client)
{
    public string Base => $"/keylead/v2/clients/{Seed.DemoClient}/users/{Nid}/deposits/{Deposit}";

    public Task<Answer> CreateAsync(string body, string? trackId = null)
        => Client.CallAsync(HttpMethod.Post, $"{Base}/requests?trackId={trackId ?? KilidDriver.NewTrackId()}", body);

    public async Task<long> CreatedAsync(string body)
        => (await CreateAsync(body)).ShouldSucceed().Result.GetProperty("request").GetInt64();

    public Task<Answer> ViewAsync(long order) => Client.GetEnvelopeAsync($"{Base}/requests/{order}");

    public async Task<JsonElement> OrderAsync(long order) => (await ViewAsync(order)).ShouldSucceed().Result;

    public Task<Answer> ListAsync(string query = "") => Client.GetEnvelopeAsync($"{Base}/requests?{query}");

    public Task<Answer> EditAsync(long order, string body) => Client.CallAsync(HttpMethod.Patch, $"{Base}/requests/{order}?trackId={KilidDriver.NewTrackId()}", body);

    public Task<Answer> DeleteAsync(long order, string body) => Client.CallAsync(HttpMethod.Delete, $"{Base}/requests/{order}?trackId={KilidDriver.NewTrackId()}", body);

    public Task<Answer> SignAsync(long order) => Client.CallAsync(HttpMethod.Post, $"{Base}/requests/{order}/sign?trackId={KilidDriver.NewTrackId()}");

    public Task<Answer> UnsignAsync(long order) => Client.CallAsync(HttpMethod.Post, $"{Base}/requests/{order}/unsign?trackId={KilidDriver.NewTrackId()}");

    public Task<Answer> PayAsync(long order, string? trackId = null)
        => Client.CallAsync(HttpMethod.Post, $"{Base}/requests/{order}/pay?trackId={trackId ?? KilidDriver.NewTrackId()}");

    public Task<Answer> StatementAsync(string query = "") => Client.GetEnvelopeAsync($"{Base}/statement?{query}");
}

public static class KilidAssertions
{
    /// <summary>The seed's business error: HTTP 400, status DONE, result.code, both messages and the offending part as sent.</summary>
    public static JsonElement ShouldRefuseOrder(this Answer answer, int code)
    {
        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"expected 400, got {(int)answer.Status}: {answer.Raw}");
        Assert.Equal("DONE", answer.Str("status"));
        Assert.False(string.IsNullOrEmpty(answer.Str("trackId")));
        var result = answer.Result;
        Assert.True(code == result.GetProperty("code").GetInt32(), answer.Raw);
        Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(result.GetProperty("farsi_message").GetString()));
        return result.GetProperty("invalidParameter");
    }

    public static string Status(this JsonElement order) => order.GetProperty("status").GetString()!;

    public static JsonElement Row(this JsonElement order, int index) => order.GetProperty("destinations")[index];

    public static string State(this JsonElement row) => row.GetProperty("state").GetString()!;

    public static List<string> Actions(this JsonElement order)
        => order.GetProperty("history").EnumerateArray().Select(entry => entry.GetProperty("action").GetString()!).ToList();
}
