using System.Text;

namespace Havale.Api.Tests.Infrastructure;

public sealed record Answer(HttpStatusCode Status, JsonElement Body, string Raw, HttpResponseMessage Response)
{
    public string Str(string name) => Body.GetProperty(name).GetString()!;
    public string ErrorCode => Body.GetProperty("error").GetProperty("code").GetString()!;
    public string ErrorMessage => Body.GetProperty("error").GetProperty("message").GetString()!;
    public JsonElement Result => Body.GetProperty("result");

    /// <summary>Asserts Finnotech's failure envelope: status FAILED, a trackId, and error{code, message}.</summary>
    public Answer ShouldFail(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Raw}");
        Assert.Equal("FAILED", Str("status"));
        Assert.False(string.IsNullOrEmpty(Str("trackId")));
        Assert.Equal(code, ErrorCode);
        Assert.False(Body.TryGetProperty("result", out _));
        return this;
    }

    public Answer ShouldSucceed()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Raw}");
        Assert.Equal("DONE", Str("status"));
        Assert.False(string.IsNullOrEmpty(Str("trackId")));
        return this;
    }
}

public static class Http
{
    public static async Task<Answer> CallAsync(this HttpClient client, HttpMethod method, string uri, string? json = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        return await client.SendRawAsync(request);
    }

    public static async Task<Answer> SendRawAsync(this HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true;
        var body = isJson && raw.Length > 0 ? JsonDocument.Parse(raw).RootElement.Clone() : default;
        return new Answer(response.StatusCode, body, raw, response);
    }

    public static Task<Answer> GetEnvelopeAsync(this HttpClient client, string uri) => client.CallAsync(HttpMethod.Get, uri);

    public static Task<Answer> PostEnvelopeAsync(this HttpClient client, string uri, string json) => client.CallAsync(HttpMethod.Post, uri, json);
}
